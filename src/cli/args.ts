/** Command-line value checks shared by the amber subcommands. */

export function positiveInt(text: string | undefined, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number, got '${text}'`);
  return n;
}
