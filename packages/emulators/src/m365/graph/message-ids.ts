/**
 * Outlook's id formats for one item (docs/microsoft-365.md §5.10, §8.7). Office.js hands the add-in an EWS id
 * (standard base64 with `+` and `/`); Graph's default REST id is the same text with `+`→`_` and
 * `/`→`-` (note: the reverse of base64url's pairing), `=` padding kept. The conversion is purely
 * textual, which is why these functions need nothing but the string: the Outlook emulator front end
 * uses them exactly as `Office.context.mailbox.convertToRestId` / `convertToEwsId` do.
 */

const EWS_ID = /^[A-Za-z0-9+/]+=*$/;
const REST_ID = /^[A-Za-z0-9_-]+=*$/;

/** EWS item id (as `Office.context.mailbox.item.itemId`) → Graph REST id. */
export function ewsIdToRestId(ewsId: string): string {
  return ewsId.replaceAll('+', '_').replaceAll('/', '-');
}

/** Graph REST id → EWS item id; the exact inverse of `ewsIdToRestId`. */
export function restIdToEwsId(restId: string): string {
  return restId.replaceAll('_', '+').replaceAll('-', '/');
}

export function isEwsId(value: string): boolean {
  return EWS_ID.test(value);
}

export function isRestId(value: string): boolean {
  return REST_ID.test(value);
}

/** Office.js spellings, for code that mirrors `Office.context.mailbox`. */
export const convertToRestId = ewsIdToRestId;
export const convertToEwsId = restIdToEwsId;
