import { DEMO_APP, demoFixture } from '../../../packages/emulators/src/fixture.js';

/** Reads the Microsoft 365 emulator the way Microsoft would show it, to count what transfers wrote. */

/** An app-only Graph token of the demo tenant; `emulatorBaseUrl` is where `/emulator/…` is served. */
export async function graphToken(emulatorBaseUrl: string): Promise<string> {
  const response = await fetch(
    `${emulatorBaseUrl}/emulator/${demoFixture.tenants.demo.microsoftTenantId}/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEMO_APP.clientId,
        client_secret: DEMO_APP.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    },
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The names of the files in a folder of the demo drive, every page. */
export async function folderFileNames(emulatorBaseUrl: string, folder: string): Promise<string[]> {
  const token = await graphToken(emulatorBaseUrl);
  const names: string[] = [];
  let next: string | undefined =
    `${emulatorBaseUrl}/emulator/graph/v1.0/drives/${demoFixture.drives.demo.driveId}/root:/${encodeURIComponent(folder)}:/children?$top=200`;
  while (next) {
    const page = (await (await fetch(next, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      value: { name: string }[];
      '@odata.nextLink'?: string;
    };
    names.push(...page.value.map((item) => item.name));
    next = page['@odata.nextLink'];
  }
  return names;
}

/** Anna's demo mail "Offer 2026-117 …" (a body and three attachments: four files per transfer). */
export async function offerMail(
  emulatorBaseUrl: string,
): Promise<{ id: string; subject: string; internetMessageId: string }> {
  const token = await graphToken(emulatorBaseUrl);
  const mails = (await (
    await fetch(
      `${emulatorBaseUrl}/emulator/graph/v1.0/users/${demoFixture.users.demo.objectId}/messages?$select=id,subject,internetMessageId&$top=100`,
      { headers: { authorization: `Bearer ${token}` } },
    )
  ).json()) as { value: { id: string; subject: string; internetMessageId: string }[] };
  const mail = mails.value.find((message) => message.subject.startsWith('Offer 2026-117'));
  if (!mail) throw new Error('the demo mailbox has no "Offer 2026-117" mail');
  return mail;
}
