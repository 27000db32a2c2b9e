/** The website renders with the one HTML template the server-rendered pages share. */
export * from '@mailissa/html';
