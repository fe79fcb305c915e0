import * as fs from 'fs';
import * as path from 'path';
import { DescribeSolutionVersionCommand, GetSolutionMetricsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, Recipe, Solution } from '../src';
import { SdkPersonalizeApi } from '../src/handlers/aws/personalize-api';
import { TrainingResultHandler } from '../src/handlers/resources/training-result-handler';

/**
 * From Personalize's documented DescribeSolutionVersion response to the stack's outputs: the
 * synthesized result resource is run through the real handler, and each output's Fn::GetAtt is
 * read from the attributes the handler returns.
 */
describe('tuned hyperparameter outputs of the documentation example', () => {
  const personalize = mockClient(PersonalizeClient);

  async function deployedOutputs(describeResponse: any): Promise<Record<string, string>> {
    const stack = new Stack(new App(), 'Doc', { env: { account: '000000000000', region: 'us-west-2' } });
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:000000000000:dataset-group/hpo');
    new Solution(stack, 'Hrnn', {
      datasetGroup,
      recipe: Recipe.HRNN,
      hyperParameters: HyperParameters.hrnn({ hiddenDimension: 55 }),
      hpo: {
        ranges: HyperParameterRanges.hrnn({ recencyMask: HyperParameterRange.trueOrFalse(), bptt: HyperParameterRange.integer(20, 40) }),
        maxNumberOfTrainingJobs: 4,
        maxParallelTrainingJobs: 2,
      },
    }).addVersion('Version', { outputPrefix: 'Hrnn', detailedOutputs: true });
    const template = Template.fromStack(stack);

    const [[resultId, result]] = Object.entries<any>(template.findResources('Custom::PersonalizeTrainingResult'));
    const version = describeResponse.solutionVersion;
    personalize.reset();
    // The SDK turns the wire's epoch seconds into Dates.
    const toDate = (seconds: number) => new Date(seconds * 1000);
    personalize.on(DescribeSolutionVersionCommand).resolves({
      solutionVersion: { ...version, creationDateTime: toDate(version.creationDateTime), lastUpdatedDateTime: toDate(version.lastUpdatedDateTime) },
    });
    personalize.on(GetSolutionMetricsCommand).resolves({ solutionVersionArn: version.solutionVersionArn, metrics: { coverage: 0.27 } });

    // What CloudFormation sends: the template's properties with the version ARN resolved.
    const { Data } = await new TrainingResultHandler(new SdkPersonalizeApi(new PersonalizeClient({ region: 'us-west-2' }))).onEvent({
      RequestType: 'Create',
      ResourceType: 'Custom::PersonalizeTrainingResult',
      RequestId: 'request-1',
      LogicalResourceId: resultId,
      StackId: 'arn:aws:cloudformation:us-west-2:000000000000:stack/Doc/1',
      ResourceProperties: { ...result.Properties, SolutionVersionArn: version.solutionVersionArn },
    });

    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries<any>(template.findOutputs('*'))) {
      const getAtt = output.Value['Fn::GetAtt'];
      if (getAtt?.[0] === resultId) {
        outputs[name] = Data![getAtt[1]];
      }
    }
    return outputs;
  }

  test('given the documented response, the tuned outputs are hidden_dimension = 58 and recency_mask = false', async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'hrnn-describe-solution-version.json'), 'utf-8'));
    const outputs = await deployedOutputs(fixture);

    expect(outputs.HrnnTunedHiddenDimension).toEqual('58');
    expect(outputs.HrnnTunedRecencyMask).toEqual('false');
    // Declared but not in the response: the output still resolves, and says so.
    expect(outputs.HrnnTunedBptt).toEqual('not-reported');
    expect(JSON.parse(outputs.HrnnTunedHyperParameters)).toEqual({ hidden_dimension: '58', recency_mask: 'false' });
    expect(outputs.HrnnStatus).toEqual('ACTIVE');
    expect(outputs.HrnnCoverage).toEqual('0.27');
    expect(outputs.HrnnPrecisionAt25).toEqual('not-reported');
    // The metrics JSON, an output by default, leaves out what Personalize did not report.
    expect(JSON.parse(outputs.HrnnMetrics)).toEqual({ coverage: 0.27 });
  });

  test('prefixed names in the response map back to the declared ones', async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'hrnn-describe-solution-version.json'), 'utf-8'));
    fixture.solutionVersion.tunedHPOParams.algorithmHyperParameters = { 'training.bptt': '31', 'data.recency_mask': 'true' };
    const outputs = await deployedOutputs(fixture);

    expect(outputs.HrnnTunedBptt).toEqual('31');
    expect(outputs.HrnnTunedRecencyMask).toEqual('true');
    expect(outputs.HrnnTunedHiddenDimension).toEqual('not-reported');
  });
});
