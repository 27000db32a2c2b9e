import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { escapeHtml, languageFrom, type PageLanguage, page } from '../../html.js';
import type { EmulatorContext } from '../emulator-context.js';
import { parseTenantPath } from '../emulator-context.js';
import { GRAPH_APPLICATION_ROLES } from './scopes.js';

const optionalText = z.string().max(4096).optional();
const consentParameters = z.looseObject({
  client_id: optionalText,
  scope: optionalText,
  redirect_uri: optionalText,
  state: optionalText,
  /** Set by the page's buttons: the administrator who accepts, or `decline`. */
  emulator_user: z.string().max(64).optional(),
  emulator_decline: z.string().max(8).optional(),
});
type ConsentParameters = z.infer<typeof consentParameters>;

const texts = {
  en: {
    title: 'Permissions requested – Microsoft 365 emulator',
    heading: 'Permissions requested: accept for your organisation',
    banner: 'Demo mode: this is the Microsoft 365 emulator, not Microsoft. No password is needed.',
    intro: (tenant: string) =>
      `Mailissa asks for these application permissions in ${tenant}. Only a global administrator can grant them, for the whole organisation.`,
    acceptAs: 'Accept as',
    decline: 'Cancel',
    errorTitle: 'Admin consent failed – Microsoft 365 emulator',
  },
  de: {
    title: 'Angeforderte Berechtigungen – Microsoft 365-Emulator',
    heading: 'Angeforderte Berechtigungen: für Ihre Organisation akzeptieren',
    banner:
      'Demo-Modus: Dies ist der Microsoft 365-Emulator, nicht Microsoft. Es wird kein Kennwort benötigt.',
    intro: (tenant: string) =>
      `Mailissa bittet in ${tenant} um diese Anwendungsberechtigungen. Nur ein globaler Administrator kann sie erteilen, für die ganze Organisation.`,
    acceptAs: 'Akzeptieren als',
    decline: 'Abbrechen',
    errorTitle: 'Administratorzustimmung fehlgeschlagen – Microsoft 365-Emulator',
  },
} satisfies Record<PageLanguage, unknown>;

const tenantParams = z.object({ tenant: z.string().min(1).max(64) });

/**
 * Microsoft's admin consent endpoint (docs/microsoft-365.md §2.9): a global administrator of the
 * tenant grants the application permissions of the app registration, and the browser returns to the
 * redirect URI with `admin_consent=True&tenant=…&state=…` (or `error`, `error_description`, `state`).
 */
export const adminConsentRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const publicOrigin = new URL(context.options.publicBaseUrl).origin;

  function errorPage(reply: FastifyReply, lang: PageLanguage, message: string) {
    return reply
      .status(400)
      .type('text/html; charset=utf-8')
      .send(
        page({
          lang,
          title: texts[lang].errorTitle,
          body: `<h1>${escapeHtml(texts[lang].errorTitle)}</h1>\n<p class="error" role="alert"><code>${escapeHtml(message)}</code></p>`,
        }),
      );
  }

  async function handle(
    request: FastifyRequest,
    reply: FastifyReply,
    tenantSegment: string,
    parameters: ConsentParameters,
  ) {
    const lang = languageFrom(request.headers['accept-language']);
    const tenantPath = parseTenantPath(context, tenantSegment);
    // Admin consent names the tenant; the emulator has no session to resolve `organizations` from.
    const tenant = tenantPath?.kind === 'tenant' ? context.directory.tenant(tenantPath.tenantId) : undefined;
    if (!tenant) return errorPage(reply, lang, `AADSTS90002: Tenant '${tenantSegment}' not found.`);
    if (parameters.client_id?.toLowerCase() !== context.options.app.clientId.toLowerCase()) {
      return errorPage(
        reply,
        lang,
        `AADSTS700016: Application with identifier '${parameters.client_id ?? ''}' was not found in the directory.`,
      );
    }
    let redirect: URL | undefined;
    try {
      redirect = parameters.redirect_uri ? new URL(parameters.redirect_uri) : undefined;
    } catch {
      redirect = undefined;
    }
    if (!redirect || redirect.origin !== publicOrigin) {
      return errorPage(
        reply,
        lang,
        `AADSTS50011: The redirect URI '${parameters.redirect_uri ?? ''}' does not match the redirect URIs configured for the application.`,
      );
    }
    if (!parameters.scope) {
      return errorPage(
        reply,
        lang,
        "AADSTS900144: The request body must contain the following parameter: 'scope'.",
      );
    }
    const back = (values: Record<string, string | undefined>) => {
      for (const [name, value] of Object.entries(values))
        if (value !== undefined) redirect.searchParams.append(name, value);
      return reply.header('cache-control', 'no-store').redirect(redirect.toString(), 302);
    };
    if (parameters.emulator_decline !== undefined) {
      return back({
        error: 'access_denied',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state: parameters.state,
      });
    }
    if (parameters.emulator_user !== undefined) {
      if (!tenant.globalAdminIds.includes(parameters.emulator_user.toLowerCase())) {
        return errorPage(
          reply,
          lang,
          'AADSTS90094: Admin consent is required: only a global administrator can grant it.',
        );
      }
      return back({
        admin_consent: 'True',
        tenant: tenant.tenantId,
        scope: parameters.scope,
        state: parameters.state,
      });
    }
    const t = texts[lang];
    const hidden = Object.entries(parameters)
      .filter(([name, value]) => !name.startsWith('emulator_') && typeof value === 'string')
      .map(
        ([name, value]) =>
          `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`,
      )
      .join('\n');
    const admins = tenant.users.filter((user) => tenant.globalAdminIds.includes(user.id));
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        page({
          lang,
          title: t.title,
          body: `<h1>${escapeHtml(t.heading)}</h1>
<p class="banner" role="note">${escapeHtml(t.banner)}</p>
<p>${escapeHtml(t.intro(tenant.displayName))}</p>
<ul>${GRAPH_APPLICATION_ROLES.map((role) => `<li><code>${escapeHtml(role)}</code></li>`).join('')}</ul>
<form method="post" action="/emulator/${escapeHtml(tenant.tenantId)}/v2.0/adminconsent">
${hidden}
<ul class="accounts">
${admins
  .map(
    (user) =>
      `<li><button type="submit" name="emulator_user" value="${escapeHtml(user.id)}">${escapeHtml(t.acceptAs)} <span>${escapeHtml(user.displayName)}</span><span class="upn">${escapeHtml(user.userPrincipalName)}</span></button></li>`,
  )
  .join('\n')}
</ul>
<button type="submit" name="emulator_decline" value="1">${escapeHtml(t.decline)}</button>
</form>`,
        }),
      );
  }

  app.get(
    '/emulator/:tenant/v2.0/adminconsent',
    { schema: { hide: true, params: tenantParams, querystring: consentParameters } },
    async (request, reply) => handle(request, reply, request.params.tenant, request.query),
  );
  app.post(
    '/emulator/:tenant/v2.0/adminconsent',
    { schema: { hide: true, params: tenantParams, body: consentParameters } },
    async (request, reply) => handle(request, reply, request.params.tenant, request.body),
  );
};
