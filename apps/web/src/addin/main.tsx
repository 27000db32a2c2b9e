import { mountSurface } from '../ui/AppProvider.js';
import { createI18n, knownLanguage } from '../ui/i18n.js';
import { withRightsTexts } from '../ui/rights-texts.js';
import { AddinApp } from './AddinApp.js';
import { addinTexts } from './addin-texts.js';
import { officeGlobal } from './office-api.js';
import { signInQuietly } from './quiet-sign-in.js';

async function start(): Promise<void> {
  const office = officeGlobal();
  const info = office ? await office.onReady() : { host: null, platform: null };
  // Outlook's display language decides, not the browser's: the pane should match the host around it.
  // One we do not speak: English until the bootstrap answers in the organisation's default language.
  const language = knownLanguage(office?.context?.displayLanguage ?? navigator.language);
  const mailbox = info.host !== null && office ? office : null;
  // Signing in needs neither the texts nor React: it is under way while they start.
  const firstSignIn = mailbox ? signInQuietly(mailbox, language ?? undefined) : undefined;
  const i18n = await createI18n(withRightsTexts(addinTexts), language ?? 'en');
  mountSurface(
    i18n,
    <AddinApp office={mailbox} languageKnown={language !== null} {...(firstSignIn ? { firstSignIn } : {})} />,
  );
}

void start();
