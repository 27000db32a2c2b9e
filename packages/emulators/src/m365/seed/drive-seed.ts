import type { SeedColumn } from '../graph/list-columns.js';
import { deterministicBytes, deterministicGuid } from './deterministic-id.js';
import { DEMO_TENANT_ID, SECOND_TENANT_ID } from './tenant-ids.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Drive item ids look like SharePoint's: "01" followed by 32 base32 characters. */
export function driveItemIdFromBytes(bytes: Uint8Array): string {
  let out = '01';
  for (let i = 0; i < 32; i += 1) out += BASE32[(bytes[i] ?? 0) & 31];
  return out;
}

export function seededDriveItemId(driveId: string, path: string): string {
  return driveItemIdFromBytes(deterministicBytes(`drive-item:${driveId}:${path}`, 32));
}

/** SharePoint drive ids are "b!" plus base64url; derived so they never change. */
function sharePointDriveId(name: string): string {
  return `b!${deterministicBytes(`drive:${name}`, 48).toString('base64url')}`;
}

export interface SeedDrive {
  id: string;
  tenantId: string;
  siteId: string;
  siteHost: string;
  sitePath: string;
  /** Folder name under `${dataDir}/emulator/drives/`. */
  storageName: string;
  name: string;
  description: string;
  /** SharePoint libraries are `documentLibrary`; a user's OneDrive for Business is `business`. */
  driveType: 'documentLibrary' | 'business';
  /** The owner of a OneDrive: only they (or an app-only caller) may use it. */
  ownerUserId?: string;
  /** The Microsoft 365 group whose library this is: only its members (or app-only callers) may use it. */
  memberGroupId?: string;
  /** The library's path segment in web URLs. */
  libraryPath: string;
  folders: string[];
  files: { path: string; content: string }[];
  /** Columns the library's owners added (besides SharePoint's own, which every library has). */
  columns?: SeedColumn[];
}

function siteId(host: string, name: string): string {
  return `${host},${deterministicGuid(`site:${name}`)},${deterministicGuid(`web:${name}`)}`;
}

/** The demo tenant's SharePoint document library ("Documents" of the team site). */
export const DEMO_DRIVE_ID = sharePointDriveId('contoso-documents');
export const DEMO_SITE_HOST = 'contoso.sharepoint.example';
export const DEMO_SITE_ID = siteId(DEMO_SITE_HOST, 'contoso-team');
/** Folder paths seeded in the demo library, relative to its root. */
export const DEMO_DRIVE_FOLDERS = {
  contracts: 'Contracts 2026',
  projects: 'Projects',
  projectAlpha: 'Projects/Alpha',
  projectBeta: 'Projects/Beta',
  invoices: 'Invoices',
} as const;

export const SECOND_DRIVE_ID = sharePointDriveId('fabrikam-documents');
export const SECOND_SITE_HOST = 'fabrikam.sharepoint.example';
export const SECOND_SITE_ID = siteId(SECOND_SITE_HOST, 'fabrikam-team');

export const SEED_DRIVES: readonly SeedDrive[] = [
  {
    id: DEMO_DRIVE_ID,
    tenantId: DEMO_TENANT_ID,
    siteId: DEMO_SITE_ID,
    siteHost: DEMO_SITE_HOST,
    sitePath: '/sites/team',
    storageName: 'contoso-documents',
    name: 'Documents',
    description: 'Team documents of Contoso',
    driveType: 'documentLibrary',
    libraryPath: 'Shared%20Documents',
    folders: Object.values(DEMO_DRIVE_FOLDERS),
    // A records library as filing customers set one up: mail fields, a closed status choice, a flag.
    columns: [
      { name: 'MailSubject', displayName: 'Mail subject', kind: 'text' },
      { name: 'MailFrom', displayName: 'From', kind: 'text' },
      { name: 'MailTo', displayName: 'To', kind: 'note' },
      { name: 'MailReceived', displayName: 'Received', kind: 'dateTime' },
      { name: 'MailConversation', displayName: 'Conversation', kind: 'text' },
      { name: 'DocumentStatus', displayName: 'Status', kind: 'choice', choices: ['Draft', 'Final'] },
      { name: 'Reviewed', displayName: 'Reviewed', kind: 'boolean' },
    ],
    files: [
      {
        path: 'Projects/Alpha/Rollout plan.txt',
        content: 'Project Alpha rollout\r\nPilot: week 49 (Support)\r\nRollout: week 2\r\n',
      },
      {
        path: 'Contracts 2026/README.txt',
        content: 'Signed contracts of 2026, one folder per customer.\r\n',
      },
    ],
  },
  {
    id: SECOND_DRIVE_ID,
    tenantId: SECOND_TENANT_ID,
    siteId: SECOND_SITE_ID,
    siteHost: SECOND_SITE_HOST,
    sitePath: '/sites/team',
    storageName: 'fabrikam-documents',
    name: 'Documents',
    description: 'Team documents of Fabrikam',
    driveType: 'documentLibrary',
    libraryPath: 'Shared%20Documents',
    folders: ['Fabrikam Contracts'],
    files: [{ path: 'Fabrikam Contracts/Confidential.txt', content: 'Only Fabrikam may read this.\r\n' }],
  },
];

/** The id of a user's OneDrive for Business; fixed per user so it survives restarts. */
export function personalDriveId(userId: string): string {
  return sharePointDriveId(`onedrive:${userId}`);
}

/** A user's OneDrive, created on disk the first time it is used. */
export function personalDriveSeed(user: {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
}): SeedDrive {
  const domain = user.userPrincipalName.split('@')[1] ?? 'example';
  const host = `${domain.split('.')[0] ?? 'tenant'}-my.sharepoint.example`;
  const personalPath = `/personal/${user.userPrincipalName.replace(/[@.]/g, '_')}`;
  return {
    id: personalDriveId(user.id),
    tenantId: user.tenantId,
    siteId: siteId(host, `onedrive:${user.id}`),
    siteHost: host,
    sitePath: personalPath,
    storageName: `onedrive-${user.id}`,
    name: 'OneDrive',
    description: '',
    driveType: 'business',
    ownerUserId: user.id,
    libraryPath: 'Documents',
    folders: [],
    files: [],
  };
}

/** The id of a Microsoft 365 group's document library (`/groups/{id}/drive`); fixed per group. */
export function groupDriveId(groupId: string): string {
  return sharePointDriveId(`group:${groupId}`);
}

/**
 * A Microsoft 365 group's team site library, created on disk the first time it is used. A team's
 * channels keep their files in a folder per channel at its root (docs/microsoft-365.md §7.4).
 */
export function groupDriveSeed(
  group: { id: string; tenantId: string; mailNickname: string; displayName: string },
  domain: string,
  channelFolders: readonly string[],
): SeedDrive {
  const host = `${domain.split('.')[0] ?? 'tenant'}.sharepoint.example`;
  return {
    id: groupDriveId(group.id),
    tenantId: group.tenantId,
    siteId: siteId(host, `group:${group.id}`),
    siteHost: host,
    sitePath: `/sites/${group.mailNickname}`,
    storageName: `group-${group.id}`,
    name: 'Documents',
    description: `Documents of ${group.displayName}`,
    driveType: 'documentLibrary',
    memberGroupId: group.id,
    libraryPath: 'Shared%20Documents',
    folders: [...channelFolders],
    files: [],
  };
}
