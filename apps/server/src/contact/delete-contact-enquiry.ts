import type { Queryable } from '../db/database.js';

/** Deletes an enquiry at once, e.g. when its sender asks for erasure before the retention period ends. */
export async function deleteContactEnquiry(db: Queryable, id: string): Promise<'deleted' | 'not_found'> {
  const deleted = await db.query('delete from contact_enquiries where id = $1', [id]);
  return deleted.rowCount > 0 ? 'deleted' : 'not_found';
}
