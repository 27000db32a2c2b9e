import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';

/**
 * The add-in-only XML manifest (docs/microsoft-365.md §9): a read-mode mail add-in with one
 * ribbon button that opens a pinnable task pane, also for several selected mails (item multi-select,
 * which Outlook grants only to `ReadWriteMailbox`: docs/decisions/146). Every URL comes from
 * `config.publicBaseUrl` and the Entra application from `config.entra.clientId`, so one build serves
 * any host name.
 */

/** Raise with every change of the manifest's content (Office caches manifests by version). */
export const ADDIN_MANIFEST_VERSION = '1.1.0.0';

/** Namespace of the add-in ids: the same public URL always yields the same add-in id (UUID v5). */
const ADDIN_ID_NAMESPACE = '3c1f6a2e-8b4d-4f7a-9e21-5d0c7b3a9f18';

export function addinIdFor(publicBaseUrl: string): string {
  const namespace = Buffer.from(ADDIN_ID_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(publicBaseUrl).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The application ID URI of our API, as registered in Entra ID and named in WebApplicationInfo. */
export function apiResourceUri(config: Pick<Config, 'publicBaseUrl' | 'entra'>): string {
  return `api://${new URL(config.publicBaseUrl).host}/${config.entra.clientId}`;
}

function escapeXml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const texts = {
  displayName: { en: 'Mailissa', de: 'Mailissa' },
  description: {
    en: 'Transfer mails with their attachments to SharePoint, Teams and the other systems your organisation works in.',
    de: 'Übertragen Sie Mails mit ihren Anhängen nach SharePoint, Teams und in die anderen Systeme Ihrer Organisation.',
  },
  groupLabel: { en: 'Mailissa', de: 'Mailissa' },
  buttonLabel: { en: 'Mailissa', de: 'Mailissa' },
  buttonTitle: { en: 'Open Mailissa', de: 'Mailissa öffnen' },
  buttonDescription: {
    en: 'Opens Mailissa beside this mail to transfer it to a target.',
    de: 'Öffnet Mailissa neben dieser Mail, um sie an ein Ziel zu übertragen.',
  },
} as const;

type Text = { en: string; de: string };

function stringResource(id: string, text: Text, indent: string): string {
  return `${indent}<bt:String id="${id}" DefaultValue="${escapeXml(text.en)}">
${indent}  <bt:Override Locale="de-DE" Value="${escapeXml(text.de)}"/>
${indent}</bt:String>`;
}

/**
 * The ribbon button and its resources. Pinning and multi-select only exist in VersionOverrides 1.1,
 * in that order after `SourceLocation`; only hosts with Mailbox 1.13 act on `SupportsMultiSelect`.
 */
function commandSurface(base: string, options: { overrides11: boolean; indent: string }): string {
  const i = options.indent;
  return `${i}<Hosts>
${i}  <Host xsi:type="MailHost">
${i}    <DesktopFormFactor>
${i}      <ExtensionPoint xsi:type="MessageReadCommandSurface">
${i}        <OfficeTab id="TabDefault">
${i}          <Group id="mailissaReadGroup">
${i}            <Label resid="groupLabel"/>
${i}            <Control xsi:type="Button" id="mailissaOpenPane">
${i}              <Label resid="buttonLabel"/>
${i}              <Supertip>
${i}                <Title resid="buttonTitle"/>
${i}                <Description resid="buttonDescription"/>
${i}              </Supertip>
${i}              <Icon>
${i}                <bt:Image size="16" resid="icon16"/>
${i}                <bt:Image size="32" resid="icon32"/>
${i}                <bt:Image size="80" resid="icon80"/>
${i}              </Icon>
${i}              <Action xsi:type="ShowTaskpane">
${i}                <SourceLocation resid="taskPaneUrl"/>${
    options.overrides11
      ? `\n${i}                <SupportsPinning>true</SupportsPinning>\n${i}                <SupportsMultiSelect>true</SupportsMultiSelect>`
      : ''
  }
${i}              </Action>
${i}            </Control>
${i}          </Group>
${i}        </OfficeTab>
${i}      </ExtensionPoint>
${i}    </DesktopFormFactor>
${i}  </Host>
${i}</Hosts>
${i}<Resources>
${i}  <bt:Images>
${i}    <bt:Image id="icon16" DefaultValue="${base}/addin/icons/icon-16.png"/>
${i}    <bt:Image id="icon32" DefaultValue="${base}/addin/icons/icon-32.png"/>
${i}    <bt:Image id="icon80" DefaultValue="${base}/addin/icons/icon-80.png"/>
${i}  </bt:Images>
${i}  <bt:Urls>
${i}    <bt:Url id="taskPaneUrl" DefaultValue="${base}/addin/"/>
${i}  </bt:Urls>
${i}  <bt:ShortStrings>
${stringResource('groupLabel', texts.groupLabel, `${i}    `)}
${stringResource('buttonLabel', texts.buttonLabel, `${i}    `)}
${stringResource('buttonTitle', texts.buttonTitle, `${i}    `)}
${i}  </bt:ShortStrings>
${i}  <bt:LongStrings>
${stringResource('buttonDescription', texts.buttonDescription, `${i}    `)}
${i}  </bt:LongStrings>
${i}</Resources>`;
}

export function buildAddinManifest(config: Pick<Config, 'publicBaseUrl' | 'entra'>): string {
  const base = escapeXml(config.publicBaseUrl);
  const clientId = escapeXml(config.entra.clientId);
  return `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
           xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"
           xmlns:mailappor="http://schemas.microsoft.com/office/mailappversionoverrides/1.0"
           xsi:type="MailApp">
  <Id>${addinIdFor(config.publicBaseUrl)}</Id>
  <Version>${ADDIN_MANIFEST_VERSION}</Version>
  <ProviderName>Mailissa</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="${escapeXml(texts.displayName.en)}">
    <Override Locale="de-DE" Value="${escapeXml(texts.displayName.de)}"/>
  </DisplayName>
  <Description DefaultValue="${escapeXml(texts.description.en)}">
    <Override Locale="de-DE" Value="${escapeXml(texts.description.de)}"/>
  </Description>
  <IconUrl DefaultValue="${base}/addin/icons/icon-64.png"/>
  <HighResolutionIconUrl DefaultValue="${base}/addin/icons/icon-128.png"/>
  <SupportUrl DefaultValue="${base}/"/>
  <Hosts>
    <Host Name="Mailbox"/>
  </Hosts>
  <Requirements>
    <Sets DefaultMinVersion="1.1">
      <Set Name="Mailbox" MinVersion="1.1"/>
    </Sets>
  </Requirements>
  <FormSettings>
    <Form xsi:type="ItemRead">
      <DesktopSettings>
        <SourceLocation DefaultValue="${base}/addin/"/>
        <RequestedHeight>250</RequestedHeight>
      </DesktopSettings>
    </Form>
  </FormSettings>
  <Permissions>ReadWriteMailbox</Permissions>
  <Rule xsi:type="RuleCollection" Mode="Or">
    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>
  </Rule>
  <DisableEntityHighlighting>false</DisableEntityHighlighting>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Requirements>
      <bt:Sets DefaultMinVersion="1.3">
        <bt:Set Name="Mailbox"/>
      </bt:Sets>
    </Requirements>
${commandSurface(base, { overrides11: false, indent: '    ' })}
    <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides/1.1" xsi:type="VersionOverridesV1_1">
      <Requirements>
        <bt:Sets DefaultMinVersion="1.5">
          <bt:Set Name="Mailbox"/>
        </bt:Sets>
      </Requirements>
${commandSurface(base, { overrides11: true, indent: '      ' })}
      <WebApplicationInfo>
        <Id>${clientId}</Id>
        <Resource>${escapeXml(apiResourceUri(config))}</Resource>
        <Scopes>
          <Scope>openid</Scope>
          <Scope>profile</Scope>
          <Scope>User.Read</Scope>
          <Scope>Mail.Read</Scope>
        </Scopes>
      </WebApplicationInfo>
    </VersionOverrides>
  </VersionOverrides>
</OfficeApp>
`;
}
