/**
 * Native AWS::Personalize::* resources.
 *
 * EXTENSION POINT: `PERSONALIZE_SIMULATORS` maps each type to its simulator. DatasetGroup, Schema,
 * Dataset, Campaign, EventTracker, Filter, MetricAttribution and Recommender talk to the Personalize endpoint (the embedded simulator) when one is
 * configured, and are recorded without one; Solution is always recorded. A simulated type creates
 * its resource and waits until it is ACTIVE (where the API has a status), and on delete waits until
 * Describe answers ResourceNotFoundException. Ref is the ARN, as for the real types, and Fn::GetAtt
 * gives the attributes CloudFormation documents for the type.
 */
import { recordedPersonalize } from './personalize-common';
import { dataset, datasetGroup, schema } from './personalize-data';
import { campaign, eventTracker, filter, metricAttribution, recommender } from './personalize-serving';
import type { ResourceProvisioner } from '../protocol/resources';

/** Resource type → simulator. Replace the recorded entries with endpoint-backed ones as they are built. */
export const PERSONALIZE_SIMULATORS: Record<string, ResourceProvisioner> = {
  'AWS::Personalize::DatasetGroup': datasetGroup,
  'AWS::Personalize::Schema': schema,
  'AWS::Personalize::Dataset': dataset,
  'AWS::Personalize::Solution': recordedPersonalize('solution', 'SolutionArn'),
  'AWS::Personalize::Campaign': campaign,
  'AWS::Personalize::EventTracker': eventTracker,
  'AWS::Personalize::Filter': filter,
  'AWS::Personalize::MetricAttribution': metricAttribution,
  'AWS::Personalize::Recommender': recommender,
};
