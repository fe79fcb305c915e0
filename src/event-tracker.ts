import { IResource, Names, Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnEventTracker } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { acknowledgeNewResourceType } from './private/new-resource-type';
import { checkKnownKeys, checkReference, constructAt } from './private/untyped';
import { formatProblems, PropsValidator } from './private/validation';

/** The kind this construct is counted as on its dataset group (a per-group quota). */
const MEMBER_KIND = 'EventTracker';

/**
 * An Amazon Personalize event tracker: records interactions in real time (PutEvents) into the
 * Item interactions dataset of its dataset group.
 */
export interface IEventTracker extends IResource {
  /**
   * The ARN of the event tracker.
   * @attribute
   */
  readonly eventTrackerArn: string;

  /**
   * The tracking id that PutEvents requests carry.
   * @attribute
   */
  readonly trackingId: string;

  /** Grants `actions` on this event tracker. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /** Grants recording events through this tracker (`personalize:PutEvents`). */
  grantPutEvents(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Behaviour shared by owned and imported event trackers.
 */
export abstract class EventTrackerBase extends Resource implements IEventTracker {
  public abstract readonly eventTrackerArn: string;
  public abstract readonly trackingId: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.eventTrackerArn] });
  }

  public grantPutEvents(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'personalize:PutEvents');
  }
}

/**
 * Properties of an event tracker.
 */
export interface EventTrackerProps {
  /** The dataset group whose Item interactions dataset receives the events. At most one tracker per group. */
  readonly datasetGroup: IDatasetGroup;

  /**
   * The name of the event tracker (1 to 63 characters). A new name replaces the tracker, which
   * Personalize refuses while the old one exists (one tracker per dataset group): remove the
   * tracker in one deploy and add it under the new name in the next.
   * @default - a name generated from the construct path
   */
  readonly eventTrackerName?: string;
}

/**
 * What an imported event tracker needs.
 */
export interface EventTrackerAttributes {
  /** The ARN of the event tracker. */
  readonly eventTrackerArn: string;

  /** Its tracking id. */
  readonly trackingId: string;
}

/**
 * An Amazon Personalize event tracker.
 *
 * @resource AWS::Personalize::EventTracker
 */
export class EventTracker extends EventTrackerBase {
  /** Imports an event tracker by its ARN and tracking id. */
  public static fromEventTrackerAttributes(scope: Construct, id: string, attrs: EventTrackerAttributes): IEventTracker {
    checkKnownKeys('EventTracker.fromEventTrackerAttributes', 'EventTrackerAttributes', attrs);
    class Import extends EventTrackerBase {
      public readonly eventTrackerArn = attrs.eventTrackerArn;
      public readonly trackingId = attrs.trackingId;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(attrs.eventTrackerArn) ? undefined : attrs.eventTrackerArn });
  }

  public readonly eventTrackerArn: string;
  public readonly trackingId: string;

  /** The name of the event tracker. */
  public readonly eventTrackerName: string;

  /** The dataset group of the event tracker. */
  public readonly datasetGroup: IDatasetGroup;

  constructor(scope: Construct, id: string, props: EventTrackerProps) {
    const at = constructAt('event tracker', scope, id);
    checkKnownKeys(at, 'EventTrackerProps', props);
    checkReference(`${at} datasetGroup`, props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
    super(scope, id, { physicalName: props.eventTrackerName });
    this.datasetGroup = props.datasetGroup;
    if (props.datasetGroup instanceof DatasetGroupBase) {
      props.datasetGroup._registerMember(MEMBER_KIND, this);
    }

    const v = new PropsValidator(this, 'event tracker');
    v.string('eventTrackerName', props.eventTrackerName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    v.throwIfInvalid();
    this.node.addValidation({ validate: () => this.validateOnePerGroup() });

    const name = props.eventTrackerName ?? Names.uniqueResourceName(this, { maxLength: API_LIMITS.nameMaxLength });
    const resource = new CfnEventTracker(this, 'Resource', {
      name,
      datasetGroupArn: props.datasetGroup.datasetGroupArn,
    });
    acknowledgeNewResourceType(resource, false);
    this.eventTrackerArn = resource.attrEventTrackerArn;
    this.trackingId = resource.attrTrackingId;
    this.eventTrackerName = name;
  }

  private validateOnePerGroup(): string[] {
    const group = this.datasetGroup;
    const trackers = group instanceof DatasetGroupBase ? group._membersOf(MEMBER_KIND) : [this];
    if (trackers.length > 1 && trackers[0] === this) {
      return [formatProblems('event tracker', this, [
        `dataset group ${this.datasetGroup.node.path} has ${trackers.length} event trackers (${trackers.map(t => t.node.path).join(', ')}): Personalize allows one per dataset group`,
      ])];
    }
    return [];
  }
}
