/**
 * Outlook's 25 category colour presets (docs/microsoft-365.md §5.8) with the names Outlook gives them
 * and the colours Outlook on the web fills a category chip with, so a category looks in the portal
 * and add-in as it does in Outlook. Dark presets take light text.
 */
export const OUTLOOK_CATEGORY_COLORS: ReadonlyArray<{
  preset: string;
  name: { en: string; de: string };
  fill: string;
  text: string;
}> = [
  ['Red', 'Rot', '#e74856', '#000000'],
  ['Orange', 'Orange', '#ff8c00', '#000000'],
  ['Brown', 'Braun', '#ab8b6a', '#000000'],
  ['Yellow', 'Gelb', '#fff100', '#000000'],
  ['Green', 'Grün', '#47d041', '#000000'],
  ['Teal', 'Blaugrün', '#30c6cc', '#000000'],
  ['Olive', 'Oliv', '#73aa24', '#000000'],
  ['Blue', 'Blau', '#00bcf2', '#000000'],
  ['Purple', 'Lila', '#8764b8', '#ffffff'],
  ['Cranberry', 'Preiselbeere', '#f495bf', '#000000'],
  ['Steel', 'Stahl', '#a0aeb2', '#000000'],
  ['Dark steel', 'Dunkler Stahl', '#004b60', '#ffffff'],
  ['Gray', 'Grau', '#b1adab', '#000000'],
  ['Dark gray', 'Dunkelgrau', '#5d5a58', '#ffffff'],
  ['Black', 'Schwarz', '#000000', '#ffffff'],
  ['Dark red', 'Dunkelrot', '#750b1c', '#ffffff'],
  ['Dark orange', 'Dunkelorange', '#ca5010', '#ffffff'],
  ['Dark brown', 'Dunkelbraun', '#603d30', '#ffffff'],
  ['Dark yellow', 'Dunkelgelb', '#c19c00', '#000000'],
  ['Dark green', 'Dunkelgrün', '#107c10', '#ffffff'],
  ['Dark teal', 'Dunkles Blaugrün', '#038387', '#ffffff'],
  ['Dark olive', 'Dunkles Oliv', '#4a5e2c', '#ffffff'],
  ['Dark blue', 'Dunkelblau', '#004e8c', '#ffffff'],
  ['Dark purple', 'Dunkellila', '#5c2e91', '#ffffff'],
  ['Dark cranberry', 'Dunkle Preiselbeere', '#9b0062', '#ffffff'],
].map(([en, de, fill, text], index) => ({
  preset: `preset${index}`,
  name: { en: en as string, de: de as string },
  fill: fill as string,
  text: text as string,
}));

export function outlookColor(preset: string | null | undefined) {
  return OUTLOOK_CATEGORY_COLORS.find((color) => color.preset === preset?.toLowerCase());
}
