import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { i18n as I18n } from 'i18next';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import './global.css';

/** The providers every surface runs inside: Fluent UI's light theme and the surface's i18next. */
export function AppProvider({ i18n, children }: { i18n: I18n; children: ReactNode }) {
  return (
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        {/* No className on the provider: Fluent copies it to its portal nodes (dialogs, tooltips). */}
        <FluentProvider theme={webLightTheme}>
          <div className="app-root">{children}</div>
        </FluentProvider>
      </I18nextProvider>
    </StrictMode>
  );
}

/** Mounts a surface into `#root`. */
export function mountSurface(i18n: I18n, element: ReactNode): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('The page has no #root element');
  createRoot(container).render(<AppProvider i18n={i18n}>{element}</AppProvider>);
}
