import {
  createDOMRenderer,
  FluentProvider,
  type GriffelRenderer,
  RendererProvider,
  webLightTheme,
} from '@fluentui/react-components';
import type { i18n as I18n } from 'i18next';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import './global.css';

/**
 * The page's CSP nonce, put in by the server (`<meta property="csp-nonce" nonce="…">`). Browsers hide
 * the `nonce` attribute from `getAttribute` once the page has a CSP; the `nonce` property keeps it.
 */
export function cspNonce(doc: Document = document): string | undefined {
  const meta = doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  const nonce = meta?.nonce || meta?.getAttribute('nonce') || '';
  return nonce === '' ? undefined : nonce;
}

/**
 * Fluent UI's style engine (Griffel) inserts `<style>` elements at runtime; the page's CSP admits them
 * only with its nonce, so every one of them carries it (the theme's too: FluentProvider takes the
 * renderer's attributes).
 */
function createStyleRenderer(doc: Document): GriffelRenderer {
  const nonce = cspNonce(doc);
  return createDOMRenderer(doc, nonce ? { styleElementAttributes: { nonce } } : {});
}

/** The providers every surface runs inside: Fluent UI's light theme and the surface's i18next. */
export function AppProvider({
  i18n,
  renderer,
  children,
}: {
  i18n: I18n;
  renderer: GriffelRenderer;
  children: ReactNode;
}) {
  return (
    <StrictMode>
      <RendererProvider renderer={renderer} targetDocument={document}>
        <I18nextProvider i18n={i18n}>
          {/* No className on the provider: Fluent copies it to its portal nodes (dialogs, tooltips). */}
          <FluentProvider theme={webLightTheme}>
            <div className="app-root">{children}</div>
          </FluentProvider>
        </I18nextProvider>
      </RendererProvider>
    </StrictMode>
  );
}

/** Mounts a surface into `#root`. */
export function mountSurface(i18n: I18n, element: ReactNode): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('The page has no #root element');
  createRoot(container).render(
    <AppProvider i18n={i18n} renderer={createStyleRenderer(document)}>
      {element}
    </AppProvider>,
  );
}
