import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { contentSecurityPolicy } from './security-headers.js';

const ENTRA_APP = {
  ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  ENTRA_CLIENT_SECRET: 'secret',
  OPERATOR_TENANT_ID: '11111111-2222-4333-8444-666666666666',
  OPERATOR_OBJECT_IDS: '11111111-2222-4333-8444-777777777777',
  PUBLIC_BASE_URL: 'https://mailissa.example.com',
};

function formAction(env: Record<string, string>, path = '/register/account'): string {
  return /form-action ([^;]*)/.exec(contentSecurityPolicy(path, loadConfig(env), true))?.[1] ?? '';
}

// Where forms may land after our redirect (the browser side is form-action.e2e.test.ts).
describe('form-action', () => {
  it("admits Microsoft's sign-in and, with Stripe, its hosted checkout and customer portal", () => {
    expect(formAction(ENTRA_APP)).toBe("'self' https://login.microsoftonline.com");
    expect(
      formAction({ ...ENTRA_APP, STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }),
    ).toBe("'self' https://login.microsoftonline.com https://checkout.stripe.com https://billing.stripe.com");
  });

  it('stays on our own origin in demo mode, where the emulators are ours', () => {
    expect(formAction({ PUBLIC_BASE_URL: 'http://localhost:3000' })).toBe("'self'");
  });
});
