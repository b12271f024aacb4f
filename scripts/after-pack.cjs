/**
 * electron-builder afterPack hook: flips the packaged Electron binary's fuses before it is signed.
 *
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the station into a general Node.js.
 * - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS cannot preload code into main.
 * - EnableNodeCliInspectArguments off: --inspect cannot attach a debugger to main.
 * - EnableEmbeddedAsarIntegrityValidation on: a tampered app.asar is refused (macOS and Windows;
 *   Linux has no integrity check yet and ignores it).
 * - OnlyLoadAppFromAsar on: the app is loaded from app.asar only, not from a folder placed beside it.
 * - EnableCookieEncryption on: the session's cookie store is encrypted with the OS keyring.
 *
 * CommonJS because electron-builder require()s its hooks.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const fuses = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
};

/** Where the packaged Electron executable is, as electron-builder names it on each platform. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

async function afterPack(context) {
  const binary = electronBinaryPath(context);
  // Flipping fuses breaks a macOS ad-hoc signature (Apple silicon will not run the binary then);
  // electron-builder signs for real right after this hook.
  await flipFuses(binary, { ...fuses, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuses = fuses;
module.exports.electronBinaryPath = electronBinaryPath;
