import { mkdirSync } from 'node:fs';
import { lockDataDir, type DataDirLock } from '../core/db/data-dir-lock';

/**
 * Makes the station's data folder and takes it for this process, before anything opens there (the
 * link's token, the embedded server, the keys' memory, the station database). A folder another live
 * station holds throws DataDirLockedError, whose one line ("another Keybench station (pid N) is using
 * DIR; …") each host shows as it is: browser mode on stderr, the desktop app in its error box.
 * createStation releases the lock when it closes; until then it is the host's to release.
 */
export function claimDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  return lockDataDir(dataDir);
}
