import { mountSurface } from '../ui/AppProvider.js';
import { createI18n, pickLanguage } from '../ui/i18n.js';
import { withRightsTexts } from '../ui/rights-texts.js';
import { AddinApp } from './AddinApp.js';
import { addinTexts } from './addin-texts.js';
import { officeGlobal } from './office-api.js';

async function start(): Promise<void> {
  const office = officeGlobal();
  const info = office ? await office.onReady() : { host: null, platform: null };
  // Outlook's display language decides, not the browser's: the pane should match the host around it.
  const language = pickLanguage(office?.context?.displayLanguage ?? navigator.language);
  const i18n = await createI18n(withRightsTexts(addinTexts), language);
  const mailbox = info.host !== null && office ? office : null;
  mountSurface(i18n, <AddinApp office={mailbox} />);
}

void start();
