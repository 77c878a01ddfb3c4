/**
 * `amber`: the headless machine on the command line.
 */
import { parseArgs } from 'node:util';
import { runElf } from '../machine/elf-runner.ts';
import { positiveInt } from './args.ts';
import { RUN_USAGE, runCommand } from './run.ts';
import { inspectSnapshotFile } from './snapshot-files.ts';

const USAGE = `usage:
${RUN_USAGE}
  amber inspect FILE
      list a snapshot's sections, versions, sizes and the machine config; verify every checksum
  amber elf FILE.elf [--harts N] [--max-instructions N] [--memory MiB]
      run a bare-metal program as Spike does (HTIF console and exit code)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'elf':
      return elfCommand(rest);
    case 'inspect':
      return inspectCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return command ? 0 : 2;
    default:
      process.stderr.write(`amber: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

async function elfCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      harts: { type: 'string', default: '1' },
      'max-instructions': { type: 'string' },
      memory: { type: 'string', default: '64' },
    },
  });
  if (positionals.length !== 1) {
    process.stderr.write(`amber elf: expected one ELF file\n${USAGE}`);
    return 2;
  }
  const result = await runElf(positionals[0], {
    harts: positiveInt(values.harts, '--harts'),
    memoryMiB: positiveInt(values.memory, '--memory'),
    maxInstructions: values['max-instructions'] ? positiveInt(values['max-instructions'], '--max-instructions') : undefined,
    onConsole: (bytes) => process.stdout.write(bytes),
  });
  if (result.timedOut) {
    process.stderr.write(`amber elf: stopped after ${result.instructions} instructions without an exit\n`);
    return 124;
  }
  return result.exitCode;
}

async function inspectCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write(`amber inspect: expected one snapshot file\n${USAGE}`);
    return 2;
  }
  for (const line of await inspectSnapshotFile(args[0])) process.stdout.write(`${line}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`amber: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
