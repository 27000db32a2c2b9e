import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import type { GraphClient } from '../../graph/graph-client.js';
import { graphFailureOf } from '../../graph/graph-errors.js';
import type { Connector } from '../connector.js';
import { asUser, parseSettings, userGraphOf } from '../m365/acting-as-user.js';
import { writeFilesAsUser } from '../m365/drive-files.js';
import { readMailText } from '../m365/mail-text.js';
import { type PlannerSettings, plannerSettingsSchema } from './planner.schemas.js';
import { referencesOf } from './planner-references.js';

const planSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  owner: z.string().optional(),
  container: z.looseObject({ containerId: z.string() }).optional(),
});
const bucketsSchema = z.object({ value: z.array(z.looseObject({ id: z.string(), name: z.string() })) });
const taskSchema = z.looseObject({ id: z.string() });
const detailsSchema = z.looseObject({ '@odata.etag': z.string() });
const driveSchema = z.looseObject({ id: z.string() });

/** Planner tasks take at most 255 characters of title. */
const MAX_TITLE = 255;

const planPath = (planId: string) => `/planner/plans/${encodeURIComponent(planId)}`;

/** The Microsoft 365 group that owns the plan: its library receives the files. */
function groupOf(plan: z.infer<typeof planSchema>): string {
  const group = plan.container?.containerId ?? plan.owner;
  if (!group) throw new AppError(409, 'target_misconfigured', 'The plan belongs to no Microsoft 365 group.');
  return group;
}

/**
 * Sets description and references with the details' etag (If-Match); a 412 means someone changed
 * the details in between, so read the etag again and repeat once.
 */
async function writeDetails(userGraph: GraphClient, taskId: string, body: object): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const details = detailsSchema.parse(
      await userGraph.json({
        path: `/planner/tasks/${encodeURIComponent(taskId)}/details`,
        what: 'read task details',
      }),
    );
    const response = await userGraph.request({
      method: 'PATCH',
      path: `/planner/tasks/${encodeURIComponent(taskId)}/details`,
      headers: { 'if-match': details['@odata.etag'] },
      body,
      accept: attempt === 1 ? [412] : [],
      what: 'write task details',
    });
    await response.body?.cancel();
    if (response.status !== 412) return;
  }
}

/**
 * A Planner task in a plan and bucket: title from the subject, the mail's text as description, and
 * the mail's files — uploaded first to the plan's group library — as references. As the user, so
 * only members of the plan's group can file there (docs/microsoft-365.md §7.2).
 */
export const plannerConnector: Connector<PlannerSettings> = {
  type: 'planner',
  names: { en: 'Planner task', de: 'Planner-Aufgabe' },
  picker: 'planner',
  needsUserCredentials: false,
  actsAsUser: true,
  settingsSchema: plannerSettingsSchema,

  describeSettings() {
    return [
      { key: 'planId', kind: 'planner_plan', required: true, label: { en: 'Plan', de: 'Plan' } },
      { key: 'bucketId', kind: 'planner_bucket', required: true, label: { en: 'Bucket', de: 'Bucket' } },
      {
        key: 'folderPath',
        kind: 'path',
        required: false,
        label: { en: 'Folder for the files', de: 'Ordner für die Dateien' },
        help: {
          en: 'In the library of the plan’s group; the task links the files from there',
          de: 'In der Bibliothek der Gruppe des Plans; die Aufgabe verlinkt die Dateien von dort',
        },
      },
    ];
  },

  validateSettings(input) {
    return parseSettings(plannerSettingsSchema, input);
  },

  /** App-only, the portal can see that the plan and bucket exist; membership is checked per user. */
  async testConnection({ graph }, settings) {
    try {
      const plan = planSchema.parse(await graph.json({ path: planPath(settings.planId), what: 'read plan' }));
      const buckets = bucketsSchema.parse(
        await graph.json({ path: `${planPath(settings.planId)}/buckets`, what: 'read buckets' }),
      );
      const bucket = buckets.value.find((b) => b.id === settings.bucketId);
      if (!bucket) return { ok: false, message: `The bucket is not part of the plan "${plan.title}".` };
      return {
        ok: true,
        message: `The plan "${plan.title}" with the bucket "${bucket.name}" exists. Only members of its group can file mails there.`,
      };
    } catch (error) {
      const failure = graphFailureOf(error);
      if (failure?.graphStatus === 404) return { ok: false, message: 'The plan was not found.' };
      if (failure?.graphStatus === 403) return { ok: false, message: 'Mailissa may not read this plan.' };
      if (error instanceof AppError) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress) {
    const userGraph = userGraphOf(context);
    return asUser('this Planner plan', async () => {
      const plan = planSchema.parse(
        await userGraph.json({ path: planPath(settings.planId), what: 'read plan' }),
      );
      const drive = driveSchema.parse(
        await userGraph.json({
          path: `/groups/${encodeURIComponent(groupOf(plan))}/drive?$select=id`,
          what: "read the plan's group library",
        }),
      );
      const written = await writeFilesAsUser(
        context,
        userGraph,
        { driveId: drive.id, folderPath: settings.folderPath },
        mail,
        progress,
      );
      const { text } = await readMailText(userGraph, mail.messageId);
      const task = taskSchema.parse(
        await userGraph.json({
          method: 'POST',
          path: '/planner/tasks',
          body: {
            planId: settings.planId,
            bucketId: settings.bucketId,
            title: (mail.subject.trim() || '(no subject)').slice(0, MAX_TITLE),
          },
          what: 'create task',
        }),
      );
      await writeDetails(userGraph, task.id, {
        description: text,
        previewType: 'description',
        references: referencesOf(written.files),
      });
      return {
        url: written.folderUrl,
        files: written.files.map(({ key, name, size }) => ({ key, name, size })),
      };
    });
  },

  async findExistingRecords() {
    return [];
  },
};
