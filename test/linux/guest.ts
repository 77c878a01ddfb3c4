/** Boots the committed Linux image for tests. */
import { loadManifest, GUEST_IMAGES } from '../../src/cli/run.ts';
import { findImageSet, linuxConfig } from '../../src/machine/guest-images.ts';
import { DirectoryImageSource } from '../../src/machine/node-images.ts';
import { GuestSession } from '../../src/machine/node-session.ts';

/** Generous: CI is a shared 2-core machine and several suites boot guests at once. */
export const BOOT_TIMEOUT_MS = 180_000;

export async function bootLinux(harts: number, memoryMiB = 256): Promise<GuestSession> {
  const config = linuxConfig(findImageSet(loadManifest(), 'linux'), harts, memoryMiB);
  const session = await GuestSession.start(config, new DirectoryImageSource(GUEST_IMAGES));
  try {
    await session.waitForShell(BOOT_TIMEOUT_MS);
  } catch (err) {
    await session.stop();
    throw err;
  }
  return session;
}
