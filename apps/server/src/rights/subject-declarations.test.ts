import { describe, expect, it } from 'vitest';
import { dataInventory, subjectInventory } from '../privacy/data-inventory.js';
import { checkSubjectDeclarations } from './check-subject-declarations.js';
import { tablesKeyedBy } from './subject-query.js';

describe('subject declarations of the data inventory', () => {
  it('tie every table with personal columns to a person, or say why they cannot', () => {
    expect(checkSubjectDeclarations(dataInventory, subjectInventory)).toEqual([]);
  });

  it('fail for a table with a personal column and neither a key nor a reason', () => {
    const inventory = {
      ...dataInventory,
      probe_notes: {
        id: { personal: false as const },
        note: { ...(dataInventory.users?.email ?? { personal: false as const }) },
      },
    };
    expect(checkSubjectDeclarations(inventory, { ...subjectInventory, probe_notes: {} })).toEqual([
      'probe_notes: has personal columns but declares no subject key and no notAttributable reason',
    ]);
    expect(checkSubjectDeclarations(inventory, subjectInventory)).toContain(
      "probe_notes: no subject declaration (add it beside the table's inventory)",
    );
    expect(
      checkSubjectDeclarations(inventory, { ...subjectInventory, probe_notes: { keys: { email: 'mail' } } }),
    ).toEqual(['probe_notes.mail: named in the subject declaration but not a declared column']);
  });

  it('key the website’s forms by e-mail and the add-in’s tables by user', () => {
    expect(tablesKeyedBy({ by: 'email', value: 'x@example.test' })).toEqual(
      expect.arrayContaining(['contact_enquiries', 'newsletter_subscribers', 'rights_requests', 'users']),
    );
    expect(tablesKeyedBy({ by: 'userId', value: 'u' })).toEqual(
      expect.arrayContaining(['users', 'licence_assignments', 'transfers', 'transfer_files', 'audit_events']),
    );
  });
});
