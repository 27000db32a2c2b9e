import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';

/**
 * A form POST must come from our own pages: browsers send Origin (and Sec-Fetch-Site) with every
 * POST, so a cross-site form cannot record a choice in someone else's name.
 */
export function assertSameOrigin(request: FastifyRequest, publicBaseUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new AppError(403, 'cross_site_form', 'This form can only be sent from our own pages.');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  // A page served with `Referrer-Policy: no-referrer` (the e-mail link pages) posts `Origin: null`;
  // the browser's own Sec-Fetch-Site then tells whether the form was ours.
  if (origin === 'null' && site === 'same-origin') return;
  const ownOrigins = new Set([new URL(publicBaseUrl).origin, `${request.protocol}://${request.host}`]);
  if (!ownOrigins.has(origin)) {
    throw new AppError(403, 'cross_site_form', 'This form can only be sent from our own pages.');
  }
}
