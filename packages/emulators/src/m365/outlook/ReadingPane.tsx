import { Caption1, makeStyles, Subtitle1, Tag, TagGroup, Text, tokens } from '@fluentui/react-components';
import { AttachRegular } from '@fluentui/react-icons';
import { formatBytes, formatDateTime } from '@mailissa/web/ui/layout.js';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attachmentBytes, blobToDataUrl } from './emulator-graph.js';
import type { OpenMessage } from './Mailbox.js';

/** Inline images up to this size are shown; larger ones would make the reading pane slow. */
const MAX_INLINE_IMAGE_BYTES = 2 * 1024 * 1024;

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    flexGrow: 1,
    minHeight: 0,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  head: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  line: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  label: { color: tokens.colorNeutralForeground3, minWidth: '32px' },
  attachments: { marginTop: tokens.spacingVerticalS },
  frame: { border: 'none', flexGrow: 1, width: '100%', minHeight: '240px', backgroundColor: '#fff' },
});

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * The document shown in the sandboxed frame. The frame has no scripts and an opaque origin; the CSP
 * here also keeps the mail from loading anything from the network (tracking pixels, remote images):
 * only images already turned into data: URLs (resolved `cid:` parts) are shown.
 */
function mailDocument(body: { contentType: 'text' | 'html'; content: string } | undefined): string {
  const content =
    body?.contentType === 'html'
      ? body.content
      : `<pre style="white-space:pre-wrap;font:inherit">${escapeHtml(body?.content ?? '')}</pre>`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><base target="_blank"><style>body{font-family:'Segoe UI',-apple-system,BlinkMacSystemFont,Roboto,'Helvetica Neue',sans-serif;font-size:14px;line-height:1.45;color:#242424;margin:20px 28px;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style></head><body>${content}</body></html>`;
}

function addressLine(list: { name: string; address: string }[]): string {
  return list
    .map((entry) =>
      entry.name && entry.name !== entry.address ? `${entry.name} <${entry.address}>` : entry.address,
    )
    .join('; ');
}

export function ReadingPane({ open, graphToken }: { open: OpenMessage; graphToken: () => Promise<string> }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { message, attachments, snapshot, mailbox } = open;
  const [html, setHtml] = useState(() => mailDocument(message.body));

  // Resolve cid: references of small inline images to data: URLs; everything else stays blocked.
  useEffect(() => {
    let cancelled = false;
    const base = mailDocument(message.body);
    setHtml(base);
    const inline = attachments.filter(
      (attachment) =>
        attachment.contentId &&
        attachment.size <= MAX_INLINE_IMAGE_BYTES &&
        base.includes(`cid:${attachment.contentId}`),
    );
    if (inline.length === 0) return;
    void (async () => {
      try {
        const token = await graphToken();
        let resolved = base;
        for (const attachment of inline) {
          const dataUrl = await blobToDataUrl(
            await attachmentBytes(token, message.id, attachment.id, mailbox),
          );
          resolved = resolved.replaceAll(`cid:${attachment.contentId}`, dataUrl);
        }
        if (!cancelled) setHtml(resolved);
      } catch {
        // The mail stays readable without its inline images.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [message, attachments, graphToken, mailbox]);

  const files = attachments.filter((attachment) => !attachment.isInline);
  return (
    <article className={styles.pane} data-testid="reading-pane">
      <header className={styles.head}>
        <Subtitle1 as="h1">{message.subject || t('emulator.noSubject')}</Subtitle1>
        <div className={styles.line}>
          <Caption1 className={styles.label}>{t('emulator.from')}</Caption1>
          <Text weight="semibold">{addressLine([snapshot.from])}</Text>
          <Caption1>{formatDateTime(message.receivedDateTime, i18n.language)}</Caption1>
        </div>
        {snapshot.to.length > 0 ? (
          <div className={styles.line}>
            <Caption1 className={styles.label}>{t('emulator.to')}</Caption1>
            <Caption1>{addressLine(snapshot.to)}</Caption1>
          </div>
        ) : null}
        {snapshot.cc.length > 0 ? (
          <div className={styles.line}>
            <Caption1 className={styles.label}>{t('emulator.cc')}</Caption1>
            <Caption1>{addressLine(snapshot.cc)}</Caption1>
          </div>
        ) : null}
        {files.length > 0 ? (
          <TagGroup className={styles.attachments} aria-label={t('emulator.attachments')}>
            {files.map((attachment) => (
              <Tag
                key={attachment.id}
                icon={<AttachRegular />}
                secondaryText={formatBytes(attachment.size, i18n.language)}
                data-testid="attachment"
              >
                {attachment.name}
              </Tag>
            ))}
          </TagGroup>
        ) : null}
      </header>
      <iframe
        className={styles.frame}
        title={t('emulator.mailBody')}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={html}
      />
    </article>
  );
}
