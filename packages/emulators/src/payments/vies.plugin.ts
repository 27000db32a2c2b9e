import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The EU's VIES VAT number check, REST flavour (`POST /check-vat-number` under
 * `/taxation_customs/vies/rest-api`), in the shape the real service answers: `valid`, the trader's
 * name and address, the request date and, when the requester names its own VAT number, a
 * consultation number (`requestIdentifier`) that serves as proof. Numbers are valid when listed in
 * `VIES_VALID`; a member state listed in `unavailable` answers `MS_UNAVAILABLE` as VIES does when a
 * national database is down.
 */
export const VIES_VALID: Record<string, { name: string; address: string }> = {
  DE811907980: { name: 'Contoso Deutschland GmbH', address: 'Musterstraße 1\n10115 Berlin' },
  ATU12345675: { name: 'Fabrikam Österreich GmbH', address: 'Ringstraße 5\n1010 Wien' },
  FR40303265045: { name: 'Northwind France SAS', address: '12 Rue de la Paix\n75002 Paris' },
  NL004495445B01: { name: 'Tailspin Nederland B.V.', address: 'Damrak 1\n1012 LG Amsterdam' },
};

export interface ViesEmulatorOptions {
  /** The path its routes are mounted under (the real service's is /taxation_customs/vies/rest-api). */
  mountPath: string;
  now?: () => Date;
  /** Member states whose database is "down" (answers MS_UNAVAILABLE); changeable at run time. */
  unavailable?: Set<string>;
}

declare module 'fastify' {
  interface FastifyInstance {
    viesEmulator: { unavailable: Set<string> };
  }
}

const requestSchema = z.object({
  countryCode: z.string().regex(/^[A-Z]{2}$/),
  vatNumber: z.string().min(1).max(20),
  requesterMemberStateCode: z.string().optional(),
  requesterNumber: z.string().optional(),
});

export const viesEmulatorPlugin: FastifyPluginAsyncZod<ViesEmulatorOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const unavailable = options.unavailable ?? new Set<string>();
  app.decorate('viesEmulator', { unavailable });
  await app.register(
    async (scope) => {
      let consultation = 0;
      scope.post('/check-vat-number', { schema: { hide: true } }, async (request, reply) => {
        const parsed = requestSchema.safeParse(request.body);
        if (!parsed.success) {
          reply.code(400);
          return { actionSucceed: false, errorWrappers: [{ error: 'INVALID_INPUT' }] };
        }
        const { countryCode, vatNumber, requesterMemberStateCode, requesterNumber } = parsed.data;
        if (unavailable.has(countryCode)) {
          reply.code(500);
          return { actionSucceed: false, errorWrappers: [{ error: 'MS_UNAVAILABLE' }] };
        }
        const known = VIES_VALID[`${countryCode}${vatNumber}`];
        consultation++;
        return {
          countryCode,
          vatNumber,
          requestDate: now()
            .toISOString()
            .replace(/\.\d{3}Z$/, '.000Z'),
          valid: known !== undefined,
          requestIdentifier:
            requesterMemberStateCode && requesterNumber
              ? `WAPIAAAA${String(consultation).padStart(8, '0')}`
              : '',
          name: known?.name ?? '---',
          address: known?.address ?? '---',
          traderName: '---',
          traderStreet: '---',
          traderPostalCode: '---',
          traderCity: '---',
          traderCompanyType: '---',
          traderNameMatch: 'NOT_PROCESSED',
          traderStreetMatch: 'NOT_PROCESSED',
          traderPostalCodeMatch: 'NOT_PROCESSED',
          traderCityMatch: 'NOT_PROCESSED',
          traderCompanyTypeMatch: 'NOT_PROCESSED',
        };
      });
    },
    { prefix: options.mountPath },
  );
};
Object.defineProperty(viesEmulatorPlugin, Symbol.for('skip-override'), { value: true });
