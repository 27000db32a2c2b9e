import { mountSurface } from '../ui/AppProvider.js';
import { createI18n, pickLanguage, rememberedLanguage } from '../ui/i18n.js';
import { withRightsTexts } from '../ui/rights-texts.js';
import { PortalApp } from './PortalApp.js';
import { portalTexts } from './portal-texts.js';

async function start(): Promise<void> {
  const i18n = await createI18n(
    withRightsTexts(portalTexts),
    rememberedLanguage() ?? pickLanguage(navigator.language),
  );
  mountSurface(i18n, <PortalApp />);
}

void start();
