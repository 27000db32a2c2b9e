/* No zod here: the web's production bundle imports this list without the schemas. */

/**
 * Every code an error body of the product's API can carry. A closed list: the server's `AppError`
 * takes only these, and the web matches only these, so a new code is added here first. Grouped by
 * where it is thrown.
 */
export const ERROR_CODES = [
  // Any route (error handler, rate limit, usage-log block)
  'invalid_request',
  'bad_request',
  'body_too_large',
  'unsupported_media_type',
  'not_found',
  'rate_limited',
  'temporarily_blocked',
  'internal_error',
  /** The database does not answer (restarting, failing over): try again shortly (503, Retry-After). */
  'database_unavailable',
  // Before routing: the HTTP parser or the router refused the request (http/error-handler.ts)
  'uri_too_long',
  'headers_too_large',
  'request_timeout',
  // Add-in access tokens (auth/)
  'missing_token',
  'malformed_token',
  'unsupported_algorithm',
  'unknown_key',
  'invalid_tenant',
  'invalid_token',
  'token_expired',
  'token_not_yet_valid',
  'invalid_issuer',
  'invalid_audience',
  'app_only_token',
  'id_token_not_accepted',
  'missing_scope',
  'invalid_signature',
  'identity_provider_error',
  'identity_provider_unavailable',
  // Browser sessions of portal and operator console (web-session/)
  'not_signed_in',
  'session_ended',
  'sign_in_expired',
  'sign_in_failed',
  'csrf_check_failed',
  'administrators_only',
  'user_administrator_required',
  'tenant_administrator_required',
  // Tenancy and licences
  'no_subscription',
  'no_licence',
  'no_seats_left',
  'last_tenant_administrator',
  'user_not_found',
  'group_too_large',
  /** The tenant's global administrator has not yet granted Mailissa's application permissions. */
  'admin_consent_pending',
  // Registration portal (registration/)
  'tenant_not_connected',
  'company_data_missing',
  'subscription_exists',
  'trial_already_used',
  /** A new sign-in address another registration account already signs in with. */
  'email_taken',
  // Targets and connectors
  'target_not_found',
  'target_disabled',
  'unknown_connector',
  'invalid_settings',
  'drive_not_found',
  'target_folder_conflict',
  'target_folder_is_file',
  'too_many_name_collisions',
  'upload_incomplete',
  'category_not_found',
  'target_title_taken',
  'credential_not_found',
  'credentials_key_unknown',
  'credentials_tampered',
  // Transfer
  'transfer_not_found',
  'message_not_found',
  'message_mismatch',
  'source_truncated',
  /** Internal: a transfer job's attempt lost to a newer one (never sent to a client on purpose). */
  'attempt_superseded',
  // Microsoft Graph
  'graph_not_configured',
  'graph_token_failed',
  'graph_network_error',
  'graph_unauthorized',
  'graph_access_denied',
  'graph_not_found',
  'graph_conflict',
  'graph_unavailable',
  'graph_error',
  // Website forms, contact, mail
  'cross_site_form',
  'enquiry_not_found',
  'mail_not_configured',
  // Data-subject rights (rights/)
  'user_not_found',
  'rights_request_not_found',
  'rights_request_closed',
  'rights_request_already_extended',
  'rights_request_past_deadline',
  'tenancy_already_ending',
  'tenancy_not_ending',
  // Start-up and serving the web app
  'tls_files_unreadable',
  'web_app_not_built',
  // team
  'team_not_found',
  'team_mail_not_found',
  'team_note_not_found',
  'team_note_conflict',
  'team_category_not_allowed',
  'team_member_not_found',
  'team_name_taken',
  // Microsoft targets (OneDrive, Teams channel, Planner, To Do) acting as the user
  'delegated_sign_in_required',
  'delegated_consent_required',
  'target_forbidden',
  'target_misconfigured',
  // billing
  'payment_provider_failed',
  'payments_not_configured',
  'webhook_signature_invalid',
  'vat_check_unavailable',
  'vat_id_invalid',
  'subscription_not_paid',
  'seats_below_assigned',
  'invoice_not_found',
  'invoice_not_creditable',
  'plan_unchanged',
  // Microsoft commercial marketplace (marketplace/)
  'marketplace_not_configured',
  'marketplace_unavailable',
  'marketplace_token_invalid',
  'marketplace_purchase_invalid',
  'marketplace_wrong_tenant',
  'marketplace_plan_unknown',
  'marketplace_operation_unconfirmed',
  'invoice_not_payable',
  'trial_not_extendable',
  'datev_not_configured',
  // Connector kit, WebDAV, webhook, e-mail (connectors/kit, connectors/webdav, …)
  'target_address_refused',
  'target_unreachable',
  'target_timeout',
  'target_account_not_connected',
  'target_credentials_rejected',
  'target_conflict',
  'target_unavailable',
  'target_protocol_error',
  'credential_test_failed',
  'download_link_invalid',
  // rights: a registration account erasing itself while it holds a live subscription
  'subscription_still_live',
  // Connectors beyond Microsoft: Jira, Trello, Domino (connectors/rest-target/)
  'target_credentials_missing',
  'target_access_denied',
  'target_record_not_found',
  'target_file_too_large',
  'target_throttled',
  'target_rejected',
  'target_answer_unreadable',
  // transfer-options
  'invalid_subfolder',
  'transfer_not_cancellable',
  'transfer_not_retryable',
  'folders_not_supported',
  'records_not_supported',
  'invalid_column_mapping',
  'field_mapping_not_supported',
  'invalid_column_mapping',
  /** Internal: the user cancelled a running transfer; the worker stops and cleans up. */
  'transfer_cancelled',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Outcomes of the identity provider's answer a failed sign-in may return with, besides error codes. */
export const SIGN_IN_OUTCOMES = ['cancelled', 'sign_in_failed', 'not_an_operator'] as const;
export type SignInError = ErrorCode | (typeof SIGN_IN_OUTCOMES)[number];
