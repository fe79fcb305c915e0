// Campaigns: deploy a solution version behind a (simulated) endpoint.
import { alreadyExists, inUse } from '../errors';
import { CampaignRec, CampaignUpdateRec, S, SimState } from '../state';
import { TIMING } from '../training';
import { Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';

interface CampaignInput {
  readonly solutionVersionArn?: string;
  readonly minProvisionedTPS?: number;
  readonly campaignConfig?: Record<string, unknown>;
}

const STEPS = [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, TIMING.campaignMs]] as const;

function activeVersion(state: SimState, arn: string): string {
  const v = state.get(state.versions, arn, 'solution version');
  if (v.status !== S.ACTIVE) throw inUse(`Solution version ${v.arn} is ${v.status}; it must be ACTIVE`);
  return v.arn;
}

function createCampaign(state: SimState, input: CampaignInput & { name: string; solutionVersionArn: string; tags?: Tag[] }) {
  const arn = state.arn(`campaign/${input.name}`);
  if (state.campaigns.has(arn)) throw alreadyExists(arn);
  const versionArn = activeVersion(state, input.solutionVersionArn);
  state.addTags(arn, input.tags);
  const now = state.now();
  const campaign: CampaignRec = {
    arn,
    name: input.name,
    solutionVersionArn: versionArn,
    minProvisionedTPS: input.minProvisionedTPS ?? 1,
    campaignConfig: input.campaignConfig,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  state.campaigns.set(arn, campaign);
  state.advanceThrough(campaign, STEPS);
  return { campaignArn: arn };
}

function updateCampaign(state: SimState, input: CampaignInput & { campaignArn: string }) {
  const c = state.get(state.campaigns, input.campaignArn, 'campaign');
  if (c.status !== S.ACTIVE) throw inUse(`Campaign ${c.arn} is ${c.status}; it must be ACTIVE to be updated`);
  if (c.latestUpdate && (c.latestUpdate.status === S.PENDING || c.latestUpdate.status === S.IN_PROGRESS)) {
    throw inUse(`An update of campaign ${c.arn} is already ${c.latestUpdate.status}`);
  }
  const versionArn = input.solutionVersionArn === undefined ? undefined : activeVersion(state, input.solutionVersionArn);
  const now = state.now();
  const update: CampaignUpdateRec = {
    solutionVersionArn: versionArn,
    minProvisionedTPS: input.minProvisionedTPS,
    campaignConfig: input.campaignConfig,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  c.latestUpdate = update;
  state.advanceThrough(update, STEPS, () => {
    if (versionArn !== undefined) c.solutionVersionArn = versionArn;
    if (input.minProvisionedTPS !== undefined) c.minProvisionedTPS = input.minProvisionedTPS;
    if (input.campaignConfig !== undefined) c.campaignConfig = input.campaignConfig;
    c.updated = state.now();
  });
  return { campaignArn: c.arn };
}

function describeCampaign(state: SimState, input: { campaignArn: string }) {
  const c = state.get(state.campaigns, input.campaignArn, 'campaign');
  const u = c.latestUpdate;
  return {
    campaign: compact({
      name: c.name,
      campaignArn: c.arn,
      solutionVersionArn: c.solutionVersionArn,
      minProvisionedTPS: c.minProvisionedTPS,
      campaignConfig: c.campaignConfig,
      status: c.status,
      failureReason: c.failureReason,
      creationDateTime: t(c.created),
      lastUpdatedDateTime: t(c.updated),
      latestCampaignUpdate: u && compact({
        solutionVersionArn: u.solutionVersionArn,
        minProvisionedTPS: u.minProvisionedTPS,
        campaignConfig: u.campaignConfig,
        status: u.status,
        failureReason: u.failureReason,
        creationDateTime: t(u.created),
        lastUpdatedDateTime: t(u.updated),
      }),
    }),
  };
}

function deleteCampaign(state: SimState, input: { campaignArn: string }) {
  const c = state.get(state.campaigns, input.campaignArn, 'campaign');
  if (c.status !== S.ACTIVE && c.status !== S.FAILED) throw inUse(`Campaign ${c.arn} is ${c.status}`);
  // [U] open fact 32: refused while an update runs, as UpdateCampaign is.
  if (c.latestUpdate && (c.latestUpdate.status === S.PENDING || c.latestUpdate.status === S.IN_PROGRESS)) {
    throw inUse(`An update of campaign ${c.arn} is ${c.latestUpdate.status}`);
  }
  deleteLater(state, c, () => state.remove(state.campaigns, c.arn));
  return {};
}

export const campaignHandlers: HandlerTable = {
  CreateCampaign: createCampaign,
  DescribeCampaign: describeCampaign,
  UpdateCampaign: updateCampaign,
  DeleteCampaign: deleteCampaign,
  ListCampaigns: (state, input: { solutionArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.campaigns.values())
      .filter((c) => !input.solutionArn || state.versions.get(c.solutionVersionArn)?.solutionArn === input.solutionArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      campaigns: page.map((c) => compact({
        name: c.name,
        campaignArn: c.arn,
        status: c.status,
        failureReason: c.failureReason,
        creationDateTime: t(c.created),
        lastUpdatedDateTime: t(c.updated),
      })),
      nextToken,
    });
  },
};
