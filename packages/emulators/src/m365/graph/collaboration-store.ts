import { randomBytes } from 'node:crypto';
import {
  SEED_PLANS,
  SEED_TEAMS,
  SEED_TODO_LISTS,
  type SeedChannel,
  type SeedPlan,
  type SeedTeam,
  todoListIdFor,
} from '../seed/collaboration-seed.js';

export interface ChannelMessageRecord {
  id: string;
  teamId: string;
  channelId: string;
  createdDateTime: string;
  fromUserId: string;
  subject: string | null;
  body: { contentType: 'text' | 'html'; content: string };
  attachments: { id: string; contentType: string; contentUrl: string | null; name: string | null }[];
}

export interface PlannerReference {
  alias: string | null;
  type: string | null;
  previewPriority: string;
  lastModifiedDateTime: string;
  lastModifiedBy: string;
}

export interface PlannerTaskRecord {
  id: string;
  planId: string;
  bucketId: string | null;
  title: string;
  createdDateTime: string;
  createdBy: string;
  /** Raised on every change of the task; part of its etag. */
  version: number;
  details: {
    description: string;
    previewType: string;
    /** Keyed by the decoded URL. */
    references: Map<string, PlannerReference>;
    version: number;
  };
}

export interface TodoLinkedResource {
  id: string;
  webUrl: string | null;
  applicationName: string;
  displayName: string | null;
  externalId: string | null;
}

export interface TodoTaskRecord {
  id: string;
  listId: string;
  title: string;
  body: { contentType: 'text' | 'html'; content: string };
  importance: 'low' | 'normal' | 'high';
  status: string;
  categories: string[];
  createdDateTime: string;
  lastModifiedDateTime: string;
  version: number;
  linkedResources: TodoLinkedResource[];
}

export interface TodoListRecord {
  id: string;
  ownerId: string;
  displayName: string;
  wellknownListName: string;
}

/** Same shapes of ids Graph uses: Planner's 28 base64url characters, To Do's long base64. */
const plannerId = () => randomBytes(21).toString('base64url');
const todoId = () => `AAMk${randomBytes(48).toString('base64url')}`;

/**
 * Teams channel messages, Planner tasks and To Do tasks of the emulated tenants. Kept in memory: a
 * restart of the emulator starts from the seed again (files written to channels stay, in the drives).
 */
export class CollaborationStore {
  private readonly messages: ChannelMessageRecord[] = [];
  private readonly tasks = new Map<string, PlannerTaskRecord>();
  private readonly todoLists = new Map<string, TodoListRecord[]>();
  private readonly todoTasks = new Map<string, TodoTaskRecord>();

  constructor(private readonly now: () => Date) {}

  stamp(): string {
    return this.now().toISOString();
  }

  team(tenantId: string, teamId: string): SeedTeam | undefined {
    const lower = teamId.toLowerCase();
    return SEED_TEAMS.find((team) => team.tenantId === tenantId && team.groupId === lower);
  }

  teamsOf(tenantId: string): SeedTeam[] {
    return SEED_TEAMS.filter((team) => team.tenantId === tenantId);
  }

  channel(team: SeedTeam, channelId: string): SeedChannel | undefined {
    return team.channels.find((channel) => channel.id.toLowerCase() === channelId.toLowerCase());
  }

  addMessage(input: Omit<ChannelMessageRecord, 'id' | 'createdDateTime'>): ChannelMessageRecord {
    // Teams message ids are the creation time in milliseconds; keep them unique.
    let id = this.now().getTime();
    while (this.messages.some((m) => m.id === String(id))) id += 1;
    const record = { ...input, id: String(id), createdDateTime: this.stamp() };
    this.messages.push(record);
    return record;
  }

  messagesOf(teamId: string, channelId: string): ChannelMessageRecord[] {
    return this.messages
      .filter((m) => m.teamId === teamId && m.channelId === channelId)
      .sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime));
  }

  plan(tenantId: string, planId: string): SeedPlan | undefined {
    return SEED_PLANS.find((plan) => plan.tenantId === tenantId && plan.id === planId);
  }

  plansOfGroup(tenantId: string, groupId: string): SeedPlan[] {
    const lower = groupId.toLowerCase();
    return SEED_PLANS.filter((plan) => plan.tenantId === tenantId && plan.groupId === lower);
  }

  addTask(input: { planId: string; bucketId: string | null; title: string; createdBy: string }) {
    let id = plannerId();
    while (this.tasks.has(id)) id = plannerId();
    const task: PlannerTaskRecord = {
      id,
      ...input,
      createdDateTime: this.stamp(),
      version: 1,
      details: { description: '', previewType: 'automatic', references: new Map(), version: 1 },
    };
    this.tasks.set(id, task);
    return task;
  }

  task(taskId: string): PlannerTaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  tasksOfPlan(planId: string): PlannerTaskRecord[] {
    return [...this.tasks.values()].filter((task) => task.planId === planId);
  }

  deleteTask(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /** A user's To Do lists, created the first time they are asked for, as Outlook does on first use. */
  todoListsOf(userId: string): TodoListRecord[] {
    let lists = this.todoLists.get(userId);
    if (!lists) {
      lists = SEED_TODO_LISTS.map((list) => ({
        id: todoListIdFor(userId, list.key),
        ownerId: userId,
        displayName: list.displayName,
        wellknownListName: list.wellknownListName,
      }));
      this.todoLists.set(userId, lists);
    }
    return lists;
  }

  addTodoTask(input: Omit<TodoTaskRecord, 'id' | 'createdDateTime' | 'lastModifiedDateTime' | 'version'>) {
    let id = todoId();
    while (this.todoTasks.has(id)) id = todoId();
    const at = this.stamp();
    const task: TodoTaskRecord = { ...input, id, createdDateTime: at, lastModifiedDateTime: at, version: 1 };
    this.todoTasks.set(id, task);
    return task;
  }

  todoTask(listId: string, taskId: string): TodoTaskRecord | undefined {
    const task = this.todoTasks.get(taskId);
    return task?.listId === listId ? task : undefined;
  }

  todoTasksOf(listId: string): TodoTaskRecord[] {
    return [...this.todoTasks.values()].filter((task) => task.listId === listId);
  }

  deleteTodoTask(taskId: string): void {
    this.todoTasks.delete(taskId);
  }

  newLinkedResourceId(): string {
    return randomBytes(16)
      .toString('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  }
}
