/** Reading and typing into the page's terminal, the way a user sees and types it. */
import { expect, type Page } from '@playwright/test';

/** Generous: a Linux boot takes 5–15 s alone, much longer on a busy CI machine. */
export const BOOT_TIMEOUT = 150_000;

interface BufferView {
  length: number;
  getLine(i: number): { translateToString(trim: boolean): string; isWrapped: boolean } | undefined;
}
type AmberHooks = { amber: { term: { rows: number; cols: number; buffer: { active: BufferView } }; state: string } };

/** Text of the terminal's buffer (scrollback included), wrapped rows joined back into lines. */
export async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const buf = (globalThis as unknown as AmberHooks).amber.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) {
      const line = buf.getLine(i);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.join('\n');
  });
}

export async function terminalSize(page: Page): Promise<{ rows: number; cols: number }> {
  return page.evaluate(() => {
    const t = (globalThis as unknown as AmberHooks).amber.term;
    return { rows: t.rows, cols: t.cols };
  });
}

/** Select what to boot, set harts, press Start. */
export async function startMachine(page: Page, image: string, harts: number): Promise<void> {
  await expect(page.locator('#start')).toBeEnabled({ timeout: 30_000 });
  await page.selectOption('#image', image);
  await page.selectOption('#harts', String(harts));
  await page.click('#start');
}

/** Wait until the guest printed its ready line and the page says running. */
export async function waitForShell(page: Page): Promise<void> {
  await expect(page.locator('#state')).toHaveText(/running/i, { timeout: BOOT_TIMEOUT });
  await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(/amber: ready[\s\S]*[#$] $/m);
}

/**
 * Type `command` exactly as given (one line) and return what it printed before the next
 * prompt: the way a person would read it off the screen.
 */
export async function typeCommand(page: Page, command: string, timeout = 30_000): Promise<string> {
  await page.locator('#terminal').click();
  const before = (await terminalText(page)).length;
  await page.keyboard.type(`${command}\n`);
  const output = async () => {
    const text = (await terminalText(page)).slice(Math.max(0, before - 10));
    const echo = text.lastIndexOf(`${command}\n`);
    if (echo < 0) return undefined;
    const m = /^([\s\S]*?)\n?\S+ [#$] ?$/.exec(text.slice(echo + command.length + 1).trimEnd() + ' ');
    return m?.[1];
  };
  await expect.poll(output, { timeout }).not.toBeUndefined();
  return (await output())!;
}

let serial = 0;

/**
 * Type `command` into the guest shell as a user would, and return what it printed. The
 * markers have '' inside, so the echoed command line never matches them.
 */
export async function runInGuest(page: Page, command: string, timeout = 30_000): Promise<string> {
  const tag = `${Date.now().toString(36)}${serial++}`;
  await page.locator('#terminal').click();
  await page.keyboard.type(`echo BEGIN''${tag}; ${command}; echo END''${tag}\n`);
  const end = `END${tag}`;
  await expect.poll(() => terminalText(page), { timeout }).toContain(end);
  const text = await terminalText(page);
  const start = text.indexOf(`BEGIN${tag}\n`);
  return text.slice(start + `BEGIN${tag}\n`.length, text.indexOf(end)).trimEnd();
}
