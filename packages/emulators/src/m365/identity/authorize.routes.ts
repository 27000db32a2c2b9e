import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { escapeHtml, languageFrom, type PageLanguage, page } from '../../html.js';
import type { EmulatorContext, TenantPath } from '../emulator-context.js';
import { parseTenantPath } from '../emulator-context.js';
import type { SeedTenant, SeedUser } from '../seed/directory-seed.js';
import { OAuthError } from './oauth-errors.js';
import { parseScopes } from './scopes.js';

const optionalText = z.string().max(4096).optional();

/**
 * Authorize parameters. Loose on purpose: MSAL sends telemetry parameters (client_info,
 * x-client-SKU, …) that Entra accepts and ignores, and so must we.
 */
const authorizeParameters = z.looseObject({
  client_id: optionalText,
  redirect_uri: optionalText,
  response_type: optionalText,
  response_mode: optionalText,
  scope: optionalText,
  state: optionalText,
  nonce: optionalText,
  code_challenge: optionalText,
  code_challenge_method: optionalText,
  prompt: optionalText,
  login_hint: optionalText,
  domain_hint: optionalText,
  client_info: optionalText,
  /** Set by the picker form: the object id of the chosen demo user. */
  emulator_user: z.string().max(64).optional(),
});
type AuthorizeParameters = z.infer<typeof authorizeParameters>;

const tenantParams = z.object({ tenant: z.string().min(1).max(64) });

const texts = {
  en: {
    title: 'Sign in – Microsoft 365 emulator',
    heading: 'Pick an account',
    banner: 'Demo mode: this is the Microsoft 365 emulator, not Microsoft. No password is needed.',
    intro: (app: string) => `Choose the demo user to sign in to ${app} with.`,
    requested: 'Requested permissions',
    suggested: 'Suggested account',
    errorTitle: 'Sign-in failed – Microsoft 365 emulator',
    errorHeading: 'Sign-in failed',
    errorHint: 'The application sent a request the emulator cannot answer. Details for its developers:',
    continueTitle: 'Continue – Microsoft 365 emulator',
    continueText: 'Returning you to the application…',
    continueButton: 'Continue',
    signedOutTitle: 'Signed out – Microsoft 365 emulator',
    signedOut: 'You have been signed out. The emulator keeps no session, so there is nothing else to clear.',
  },
  de: {
    title: 'Anmelden – Microsoft 365-Emulator',
    heading: 'Konto auswählen',
    banner:
      'Demo-Modus: Dies ist der Microsoft 365-Emulator, nicht Microsoft. Es wird kein Kennwort benötigt.',
    intro: (app: string) => `Wählen Sie den Demo-Benutzer, mit dem Sie sich bei ${app} anmelden.`,
    requested: 'Angeforderte Berechtigungen',
    suggested: 'Vorgeschlagenes Konto',
    errorTitle: 'Anmeldung fehlgeschlagen – Microsoft 365-Emulator',
    errorHeading: 'Anmeldung fehlgeschlagen',
    errorHint:
      'Die Anwendung hat eine Anfrage gesendet, die der Emulator nicht beantworten kann. Details für die Entwickler:',
    continueTitle: 'Weiter – Microsoft 365-Emulator',
    continueText: 'Sie werden zur Anwendung zurückgeleitet …',
    continueButton: 'Weiter',
    signedOutTitle: 'Abgemeldet – Microsoft 365-Emulator',
    signedOut: 'Sie wurden abgemeldet. Der Emulator führt keine Sitzung, daher ist sonst nichts zu löschen.',
  },
} satisfies Record<PageLanguage, unknown>;

/** An error Entra shows on its own page because it cannot trust the redirect URI (yet). */
class AuthorizePageError extends Error {
  constructor(
    readonly aadsts: number,
    message: string,
  ) {
    super(`AADSTS${aadsts}: ${message}`);
  }
}

function errorPage(lang: PageLanguage, message: string): string {
  const t = texts[lang];
  return page({
    lang,
    title: t.errorTitle,
    body: `<h1>${escapeHtml(t.errorHeading)}</h1>
<p>${escapeHtml(t.errorHint)}</p>
<p class="error" role="alert"><code>${escapeHtml(message)}</code></p>`,
  });
}

type ResponseMode = 'query' | 'fragment' | 'form_post';

/** Sends the authorization response (code or error) through the requested response mode. */
function deliver(
  reply: FastifyReply,
  lang: PageLanguage,
  redirectUri: string,
  mode: ResponseMode,
  values: Record<string, string | undefined>,
): FastifyReply {
  const entries = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (mode === 'form_post') {
    const t = texts[lang];
    const inputs = entries
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        page({
          lang,
          title: t.continueTitle,
          body: `<h1>${escapeHtml(t.continueText)}</h1>
<form id="form-post" method="post" action="${escapeHtml(redirectUri)}">
${inputs}
<button type="submit">${escapeHtml(t.continueButton)}</button>
</form>`,
          script: '/emulator/assets/form-post.js',
        }),
      );
  }
  const target = new URL(redirectUri);
  const params = new URLSearchParams(entries);
  if (mode === 'fragment') {
    target.hash = params.toString();
  } else {
    for (const [name, value] of entries) target.searchParams.append(name, value);
  }
  return reply.header('cache-control', 'no-store').redirect(target.toString(), 302);
}

function candidateTenants(context: EmulatorContext, tenantPath: TenantPath): SeedTenant[] {
  if (tenantPath.kind === 'tenant') {
    const tenant = context.directory.tenant(tenantPath.tenantId);
    return tenant ? [tenant] : [];
  }
  // `common` and `organizations` let anyone of any tenant sign in; the customer tenants come first.
  return [...context.directory.tenants];
}

function pickerPage(input: {
  lang: PageLanguage;
  tenants: SeedTenant[];
  hinted: SeedUser | undefined;
  parameters: AuthorizeParameters;
  action: string;
  scopes: string[];
}): string {
  const t = texts[input.lang];
  const hidden = Object.entries(input.parameters)
    .filter(([name, value]) => name !== 'emulator_user' && typeof value === 'string')
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`,
    )
    .join('\n');
  const sections = input.tenants
    .map((tenant) => {
      const headingId = `tenant-${tenant.tenantId}`;
      const items = tenant.users
        .map((user) => {
          const suggested = input.hinted?.id === user.id;
          return `<li><button type="submit" name="emulator_user" value="${escapeHtml(user.id)}"${
            suggested ? ' autofocus aria-describedby="suggested-note"' : ''
          }>${suggested ? `<span class="suggested" id="suggested-note">${escapeHtml(t.suggested)}</span> ` : ''}<span>${escapeHtml(
            user.displayName,
          )}</span><span class="upn">${escapeHtml(user.userPrincipalName)}</span></button></li>`;
        })
        .join('\n');
      return `<section aria-labelledby="${headingId}">
<h2 id="${headingId}">${escapeHtml(tenant.displayName)}</h2>
<ul class="accounts">
${items}
</ul>
</section>`;
    })
    .join('\n');
  return page({
    lang: input.lang,
    title: t.title,
    body: `<h1>${escapeHtml(t.heading)}</h1>
<p class="banner" role="note">${escapeHtml(t.banner)}</p>
<p>${escapeHtml(t.intro('Mailissa'))}</p>
<p>${escapeHtml(t.requested)}: <code>${escapeHtml(input.scopes.join(' '))}</code></p>
<form method="post" action="${escapeHtml(input.action)}">
${hidden}
${sections}
</form>`,
  });
}

/**
 * The interactive leg of the authorization code flow: validates the request as Entra does, shows a
 * picker of demo users (nobody types a password in demo mode) and redirects back with a code.
 */
export const authorizeRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const publicOrigin = new URL(context.options.publicBaseUrl).origin;

  app.setErrorHandler((error, request, reply) => {
    const lang = languageFrom(request.headers['accept-language']);
    if (error instanceof AuthorizePageError) {
      return reply.status(400).type('text/html; charset=utf-8').send(errorPage(lang, error.message));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation
        .map((issue) => issue.instancePath.replace(/^\//, '') || 'request')
        .join(', ');
      return reply
        .status(400)
        .type('text/html; charset=utf-8')
        .send(errorPage(lang, `AADSTS900144: The request has an invalid parameter: ${fields}.`));
    }
    throw error;
  });

  async function handle(
    request: FastifyRequest,
    reply: FastifyReply,
    tenantSegment: string,
    parameters: AuthorizeParameters,
    fromPicker: boolean,
  ): Promise<FastifyReply> {
    const lang = languageFrom(request.headers['accept-language']);
    const tenantPath = parseTenantPath(context, tenantSegment);
    if (!tenantPath) {
      throw new AuthorizePageError(
        90002,
        `Tenant '${tenantSegment}' not found. Check the tenant ID in the authority.`,
      );
    }
    if (!parameters.client_id) {
      throw new AuthorizePageError(
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    if (parameters.client_id.toLowerCase() !== context.options.app.clientId.toLowerCase()) {
      throw new AuthorizePageError(
        700016,
        `Application with identifier '${parameters.client_id}' was not found in the directory.`,
      );
    }
    const redirectUri = parameters.redirect_uri;
    let redirectOrigin: string | undefined;
    try {
      redirectOrigin = redirectUri ? new URL(redirectUri).origin : undefined;
    } catch {
      redirectOrigin = undefined;
    }
    if (!redirectUri || redirectOrigin !== publicOrigin) {
      throw new AuthorizePageError(
        50011,
        `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application. Only URIs on ${publicOrigin} are registered.`,
      );
    }

    const responseMode = parameters.response_mode ?? 'query';
    const fail = (error: OAuthError) =>
      deliver(
        reply,
        lang,
        redirectUri,
        responseMode === 'fragment' || responseMode === 'form_post' ? responseMode : 'query',
        {
          error: error.error,
          error_description: error.message,
          state: parameters.state,
        },
      );
    if (responseMode !== 'query' && responseMode !== 'fragment' && responseMode !== 'form_post') {
      return fail(
        new OAuthError('invalid_request', 900144, `The response_mode '${responseMode}' is not supported.`),
      );
    }
    if (parameters.response_type !== 'code') {
      return fail(
        new OAuthError(
          'unsupported_response_type',
          700054,
          `response_type '${parameters.response_type ?? ''}' is not enabled for the application; use 'code'.`,
        ),
      );
    }
    if (!parameters.scope) {
      return fail(
        new OAuthError(
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        ),
      );
    }
    const scopes = parseScopes(parameters.scope, context.options.app.clientId);
    if (scopes.unknown.length > 0) {
      return fail(
        new OAuthError(
          'invalid_scope',
          70011,
          `The provided value for the input parameter 'scope' is not valid. The scope '${scopes.unknown.join(' ')}' does not exist.`,
        ),
      );
    }
    if (!parameters.code_challenge) {
      return fail(
        new OAuthError(
          'invalid_request',
          9002325,
          'Proof Key for Code Exchange is required: send code_challenge.',
        ),
      );
    }
    if ((parameters.code_challenge_method ?? 'plain') !== 'S256') {
      return fail(
        new OAuthError(
          'invalid_request',
          9002325,
          "The emulator requires code_challenge_method 'S256' (plain is not allowed).",
        ),
      );
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(parameters.code_challenge)) {
      return fail(new OAuthError('invalid_request', 501491, 'Invalid size of the code_challenge parameter.'));
    }
    const prompt = parameters.prompt;
    if (prompt !== undefined && !['none', 'login', 'consent', 'select_account'].includes(prompt)) {
      return fail(new OAuthError('invalid_request', 90023, `Invalid prompt value '${prompt}'.`));
    }

    const tenants = candidateTenants(context, tenantPath);
    const candidates = tenants.flatMap((tenant) => tenant.users);
    const hint = parameters.login_hint?.toLowerCase();
    const hinted = hint
      ? candidates.find((user) => user.userPrincipalName.toLowerCase() === hint)
      : undefined;

    const issueCode = (user: SeedUser) =>
      deliver(reply, lang, redirectUri, responseMode, {
        code: context.grants.issueCode({
          clientId: context.options.app.clientId,
          redirectUri,
          tenantId: user.tenantId,
          userId: user.id,
          scope: parameters.scope ?? '',
          nonce: parameters.nonce,
          codeChallenge: parameters.code_challenge ?? '',
        }),
        ...(parameters.client_info === '1'
          ? {
              client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString(
                'base64url',
              ),
            }
          : {}),
        state: parameters.state,
      });

    if (fromPicker) {
      const chosen = candidates.find((user) => user.id === parameters.emulator_user?.toLowerCase());
      if (!chosen)
        throw new AuthorizePageError(50034, 'The chosen user account does not exist in this tenant.');
      return issueCode(chosen);
    }
    if (prompt === 'none') {
      // No browser session exists in the emulator: only a login_hint can identify the user silently.
      if (hinted) return issueCode(hinted);
      return fail(
        new OAuthError(
          'login_required',
          50058,
          'A silent sign-in request was sent but no user is signed in (prompt=none without a usable login_hint).',
        ),
      );
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        pickerPage({
          lang,
          tenants,
          hinted,
          parameters,
          action: `/emulator/${tenantSegment}/oauth2/v2.0/authorize`,
          scopes: parameters.scope.split(/\s+/).filter(Boolean),
        }),
      );
  }

  app.get(
    '/emulator/:tenant/oauth2/v2.0/authorize',
    { schema: { hide: true, params: tenantParams, querystring: authorizeParameters } },
    async (request, reply) => handle(request, reply, request.params.tenant, request.query, false),
  );

  app.post(
    '/emulator/:tenant/oauth2/v2.0/authorize',
    { schema: { hide: true, params: tenantParams, body: authorizeParameters } },
    async (request, reply) =>
      handle(request, reply, request.params.tenant, request.body, request.body.emulator_user !== undefined),
  );

  const logoutParameters = z.looseObject({
    post_logout_redirect_uri: optionalText,
    logout_hint: optionalText,
    state: optionalText,
  });
  // MSAL's logout navigates here; with no session to end, it only returns to the application.
  const logout = async (
    request: FastifyRequest,
    reply: FastifyReply,
    parameters: z.infer<typeof logoutParameters>,
  ) => {
    const lang = languageFrom(request.headers['accept-language']);
    const target = parameters.post_logout_redirect_uri;
    let sameOrigin = false;
    try {
      sameOrigin = target !== undefined && new URL(target).origin === publicOrigin;
    } catch {
      sameOrigin = false;
    }
    if (target && sameOrigin) {
      const url = new URL(target);
      if (parameters.state) url.searchParams.set('state', parameters.state);
      return reply.redirect(url.toString(), 302);
    }
    const t = texts[lang];
    return reply.type('text/html; charset=utf-8').send(
      page({
        lang,
        title: t.signedOutTitle,
        body: `<h1>${escapeHtml(t.signedOutTitle)}</h1>\n<p>${escapeHtml(t.signedOut)}</p>`,
      }),
    );
  };
  app.get(
    '/emulator/:tenant/oauth2/v2.0/logout',
    { schema: { hide: true, params: tenantParams, querystring: logoutParameters } },
    async (request, reply) => logout(request, reply, request.query),
  );
  app.post(
    '/emulator/:tenant/oauth2/v2.0/logout',
    { schema: { hide: true, params: tenantParams, body: logoutParameters } },
    async (request, reply) => logout(request, reply, request.body),
  );
};
