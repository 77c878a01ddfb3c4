/**
 * What the page can boot: the Linux image sets of guest/images/manifest.json and the
 * bare-metal sample programs of programs/build/programs.json, both served under images/.
 */
import type { MachineConfig } from '../machine/config.ts';
import { linuxConfig, READY_LINE, type ImageManifest, type ImageSet } from '../machine/guest-images.ts';

export interface ProgramEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface BootChoice {
  /** Value of the image <select>: the image set's name or the program's file name. */
  id: string;
  label: string;
  kind: 'linux' | 'elf';
  /** The line that says the guest is ready for input (Linux), if any. */
  readyLine?: string;
  /** Harts the choice is built for (a bare-metal sample says in its name), if fixed. */
  fixedHarts?: number;
  minMemoryMiB: number;
  /** Files fetched to boot it, with their sizes as stored: for download progress. */
  files: { file: string; size: number }[];
  config(harts: number, memoryMiB: number): MachineConfig;
}

export interface Catalog {
  choices: BootChoice[];
  /** Why a list could not be loaded (the other may still have loaded). */
  problems: string[];
}

interface ManifestSetExtras {
  readyLine?: string;
  minMemoryMiB?: number;
}

export async function loadCatalog(imageBase: string): Promise<Catalog> {
  const problems: string[] = [];
  const [manifest, programs] = await Promise.all([
    fetchJson<ImageManifest>(new URL('manifest.json', imageBase), problems, 'the Linux image list'),
    fetchJson<{ programs: ProgramEntry[] }>(new URL('programs.json', imageBase), problems, 'the sample program list'),
  ]);
  const choices: BootChoice[] = [];
  for (const set of manifest?.images ?? []) choices.push(linuxChoice(set));
  for (const p of programs?.programs ?? []) choices.push(programChoice(p));
  return { choices, problems };
}

function linuxChoice(set: ImageSet & ManifestSetExtras): BootChoice {
  const files = [set.firmware, set.kernel, set.initrd, set.disk].filter((f) => f !== undefined);
  return {
    id: set.name,
    label: set.title ? `${shortTitle(set.title)}` : `Linux (${set.name})`,
    kind: 'linux',
    readyLine: set.readyLine ?? READY_LINE,
    minMemoryMiB: set.minMemoryMiB ?? 64,
    files: files.map((f) => ({ file: f.file, size: f.size })),
    config: (harts, memoryMiB) => linuxConfig(set, harts, memoryMiB),
  };
}

/** "Linux 6.12.117 (Debian linux-source) + BusyBox 1.37.0 initramfs" → "Linux 6.12.117 + BusyBox 1.37.0". */
function shortTitle(title: string): string {
  return title.replace(/\s*\([^)]*\)/g, '').replace(/\s+initramfs$/, '');
}

function programChoice(p: ProgramEntry): BootChoice {
  const harts = /-(\d+)\.elf$/.exec(p.name)?.[1];
  return {
    id: p.name,
    label: `${p.name.replace(/\.elf$/, '')} (bare-metal sample)`,
    kind: 'elf',
    fixedHarts: harts ? Number(harts) : undefined,
    minMemoryMiB: 16,
    files: [{ file: p.name, size: p.size }],
    config: (hartCount, memoryMiB) => ({
      version: 1,
      harts: hartCount,
      memoryMiB,
      boot: { kind: 'elf', elf: { name: p.name, sha256: p.sha256, size: p.size } },
      deterministic: false,
    }),
  };
}

async function fetchJson<T>(url: URL, problems: string[], what: string): Promise<T | undefined> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as T;
  } catch (err) {
    problems.push(`Could not load ${what} from ${url.pathname} (${err instanceof Error ? err.message : String(err)}).`);
    return undefined;
  }
}
