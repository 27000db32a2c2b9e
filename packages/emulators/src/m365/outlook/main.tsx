import { mountSurface } from '@mailissa/web/ui/AppProvider.js';
import { createI18n, pickLanguage, rememberedLanguage } from '@mailissa/web/ui/i18n.js';
import { EmulatorApp } from './EmulatorApp.js';
import { emulatorTexts } from './emulator-texts.js';

async function start(): Promise<void> {
  const i18n = await createI18n(emulatorTexts, rememberedLanguage() ?? pickLanguage(navigator.language));
  mountSurface(i18n, <EmulatorApp />);
}

void start();
