/**
 * Outlook's id conversions as Office.js does them (docs/microsoft-365.md §5.10, §8.7): an EWS id
 * is standard base64 with `+` and `/`; the Graph REST id is the same string with `+`→`_` and `/`→`-`
 * (the reverse of RFC 4648 base64url's pairing), `=` padding kept. Purely textual, both ways.
 *
 * The emulator's Graph exports the same pair in ../../graph/message-ids.ts; the
 * stand-in keeps its own copy because it runs in the browser as one self-contained script.
 */
export function ewsIdToRestId(ewsId: string): string {
  return ewsId.replaceAll('+', '_').replaceAll('/', '-');
}

export function restIdToEwsId(restId: string): string {
  return restId.replaceAll('_', '+').replaceAll('-', '/');
}
