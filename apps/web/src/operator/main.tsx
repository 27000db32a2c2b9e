import { mountSurface } from '../ui/AppProvider.js';
import { createI18n, pickLanguage, rememberedLanguage } from '../ui/i18n.js';
import { withRightsTexts } from '../ui/rights-texts.js';
import { OperatorApp } from './OperatorApp.js';
import { operatorTexts } from './operator-texts.js';

async function start(): Promise<void> {
  const i18n = await createI18n(
    withRightsTexts(operatorTexts),
    rememberedLanguage() ?? pickLanguage(navigator.language),
  );
  mountSurface(i18n, <OperatorApp />);
}

void start();
