/**
 * Clients that drive the emulators over real HTTP, as a browser or a client library would: sign in
 * through the user picker, read caught mail. For tests and scripts; they hold no emulator state.
 */
export * from './m365/emulator-sign-in.js';
export {
  generateSigningKeys,
  type PortableSigningKeys,
  placeSigningKeys,
} from './m365/identity/signing-keys.js';
export { fetchCaughtMail, hiddenField, waitForCaughtMail } from './mail-catcher/catcher-client.js';
export { freePort, type ReservedPort, reservePort } from './test-support/free-port.js';
