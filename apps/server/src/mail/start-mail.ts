import path from 'node:path';
import type { Config } from '../config/config.js';
import { createMailSender } from './create-mail-sender.js';
import type { MailSender } from './mail.schemas.js';
import { type MailCatcher, startMailCatcher } from './mail-catcher.js';

export interface MailService {
  sender: MailSender;
  /** The demo mail catcher; null outside demo mode. */
  catcher: MailCatcher | null;
  close(): Promise<void>;
}

/**
 * The product's outgoing mail. In demo mode a local SMTP server catches everything and, unless
 * SMTP_URL says otherwise, the product sends to it over a real SMTP connection.
 */
export async function startMail(config: Config, now: () => Date): Promise<MailService> {
  let catcher: MailCatcher | null = null;
  if (config.demoMode) {
    if (config.nodeEnv === 'production') throw new Error('The demo mail catcher never runs in production.');
    catcher = await startMailCatcher({
      directory: path.join(config.dataDir, 'mail-catcher'),
      port: config.mail.catcherPort,
      now,
    });
  }
  const sender = createMailSender({
    smtpUrl: config.mail.smtpUrl ?? catcher?.smtpUrl ?? null,
    from: config.mail.from,
  });
  return {
    sender,
    catcher,
    async close() {
      sender.close();
      await catcher?.close();
    },
  };
}
