import {
  CreateSolutionCommand,
  CreateSolutionCommandInput,
  CreateSolutionVersionCommand,
  DescribeRecipeCommand,
  ListRecipesCommand,
} from '@aws-sdk/client-personalize';
import { Harness, UP, UP_V2, rawCall, startHarness, stopHarness, upHpo } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => stopHarness(h));

const create = (input: Partial<CreateSolutionCommandInput>) => h.client.send(new CreateSolutionCommand({
  name: 'sol', datasetGroupArn: h.datasetGroupArn, recipeArn: UP, performAutoTraining: false, ...input,
} as CreateSolutionCommandInput));

describe('model validation (generic shape walker)', () => {
  test('a missing required member', async () => {
    await expect(create({ datasetGroupArn: undefined })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: expect.stringMatching(/at 'datasetGroupArn' failed to satisfy constraint: Member must not be null/),
    });
  });

  test.each([
    ['a space', 'bad name'],
    ['a trailing character outside the class (patterns are fully anchored)', 'ok-name!'],
    ['a leading dash', '-name'],
  ])('the name pattern rejects %s', async (_, name) => {
    await expect(create({ name })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: expect.stringContaining(`Value ${JSON.stringify(name)} at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern`),
    });
  });

  test('string length', async () => {
    await expect(create({ name: 'a'.repeat(64) })).rejects.toMatchObject({
      name: 'InvalidInputException', message: expect.stringContaining('Member must have length less than or equal to 63'),
    });
  });

  test('an enum', async () => {
    const solutionArn = 'arn:aws:personalize:us-east-1:123456789012:solution/sol';
    await expect(h.client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode: 'PARTIAL' as never }))).rejects.toMatchObject({
      name: 'InvalidInputException', message: expect.stringMatching(/"PARTIAL" at 'trainingMode'.*enum value set: \[FULL, UPDATE, AUTOTRAIN\]/),
    });
  });

  test('nested numeric bounds and list sizes name the member path', async () => {
    const eventParametersList = Array.from({ length: 11 }, (_, i) => ({ eventType: `e${i}`, weight: i === 0 ? 1.5 : 0.5 }));
    const err = await create({ recipeArn: UP_V2, solutionConfig: { eventsConfig: { eventParametersList } } }).catch((e) => e);
    expect(err.name).toBe('InvalidInputException');
    expect(err.message).toMatch(/^2 validation errors detected/);
    expect(err.message).toContain("at 'solutionConfig.eventsConfig.eventParametersList' failed to satisfy constraint: Member must have length less than or equal to 10");
    expect(err.message).toContain("Value 1.5 at 'solutionConfig.eventsConfig.eventParametersList[0].weight'");
  });

  test('type checks (sent raw, as a hand-built request could be)', async () => {
    const { status, json } = await rawCall(h.sim.endpoint!, 'CreateSolution', {
      name: 'sol', datasetGroupArn: h.datasetGroupArn, performHPO: 'true', solutionConfig: { algorithmHyperParameters: { bptt: 12 } },
    });
    expect(status).toBe(400);
    expect(json.__type).toBe('com.amazonaws.personalize#InvalidInputException');
    expect(json.message).toContain("at 'performHPO' failed to satisfy constraint: Member must be a boolean");
    expect(json.message).toContain("at 'solutionConfig.algorithmHyperParameters.bptt' failed to satisfy constraint: Member must be a string");
  });

  test('unknown members, e.g. CloudFormation-style keys, are rejected (the SDK itself silently drops them)', async () => {
    const { status, json } = await rawCall(h.sim.endpoint!, 'CreateSolution', {
      name: 'sol', datasetGroupArn: h.datasetGroupArn, recipeArn: UP, solutionConfig: { HpoConfig: { HpoResourceConfig: {} } },
    });
    expect(status).toBe(400);
    expect(json.message).toContain("at 'solutionConfig.HpoConfig' failed to satisfy constraint: Unknown member (not in SolutionConfig)");
  });

  test('UpdateSolution accepts only its own members', async () => {
    const { json } = await rawCall(h.sim.endpoint!, 'UpdateSolution', { solutionArn: 'arn:aws:personalize:us-east-1:1:solution/x', performHPO: true });
    expect(json.message).toContain("at 'performHPO' failed to satisfy constraint: Unknown member (not in UpdateSolutionRequest)");
  });

  test('unknown operations and bad JSON', async () => {
    expect(await rawCall(h.sim.endpoint!, 'CreateSolutionz', {})).toMatchObject({
      status: 400, json: { __type: 'com.amazonaws.personalize#UnknownOperationException' },
    });
    const res = await fetch(h.sim.endpoint!, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.ListSolutions' }, body: '{' });
    expect(((await res.json()) as { __type: string }).__type).toBe('com.amazonaws.personalize#SerializationException');
  });
});

describe('HPO and recipe rules', () => {
  test.each([
    ['41', '10', /maxNumberOfTrainingJobs must be between 1 and 40, got 41/],
    ['40', '11', /maxParallelTrainingJobs must be between 1 and 10, got 11/],
    ['0', '1', /maxNumberOfTrainingJobs must be between 1 and 40, got 0/],
    ['ten', '1', /maxNumberOfTrainingJobs must be a whole number as a string/],
    ['4', '8', /maxParallelTrainingJobs \(8\) must not exceed maxNumberOfTrainingJobs \(4\)/],
  ])('hpoResourceConfig %s/%s is rejected', async (total, parallel, message) => {
    const solutionConfig = upHpo(1, 1)!;
    solutionConfig.hpoConfig!.hpoResourceConfig = { maxNumberOfTrainingJobs: total, maxParallelTrainingJobs: parallel };
    await expect(create({ performHPO: true, solutionConfig })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(message) });
  });

  const unknownParam = { name: 'InvalidInputException', message: 'Provide a hyperparameter that is used in the algorithm: arn:aws:personalize:::algorithm/aws-user-personalization' };

  test('an unknown fixed hyperparameter', async () => {
    await expect(create({ solutionConfig: { algorithmHyperParameters: { 'model.id_embedding_dim': '10' } } })).rejects.toMatchObject(unknownParam);
  });

  test('an unknown HPO range name', async () => {
    const solutionConfig = upHpo(2, 1)!;
    solutionConfig.hpoConfig!.algorithmHyperParameterRanges!.integerHyperParameterRanges!.push({ name: 'hidden_dim', minValue: 1, maxValue: 2 });
    await expect(create({ performHPO: true, solutionConfig })).rejects.toMatchObject(unknownParam);
  });

  test.each([
    [{ algorithmHyperParameters: { bptt: '64' } }, /bptt .* must be an integer in \[2, 32\], got "64"/],
    [{ algorithmHyperParameters: { recency_mask: 'yes' } }, /recency_mask .* must be one of \[true, false\]/],
    [{ hpoConfig: { algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'bptt', minValue: 20, maxValue: 10 }] } } }, /minValue 20 > maxValue 10/],
    [{ hpoConfig: { algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'bptt', minValue: 2, maxValue: 10 }] } } }, /bptt is integer; it cannot take a continuous range/],
    [{ algorithmHyperParameters: { bptt: '8' }, hpoConfig: { algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'bptt', minValue: 2, maxValue: 10 }] } } },
      /both fixed .* and tuned/],
  ])('hyperparameter values and ranges are checked against recipes.json (%#)', async (solutionConfig, message) => {
    await expect(create({ performHPO: true, solutionConfig })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(message) });
  });

  test('a range beyond the documented bounds is accepted, as in the documentation\'s own example', async () => {
    const solutionConfig = { hpoConfig: { algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'bptt', minValue: 20, maxValue: 40 }] } } };
    await expect(create({ performHPO: true, solutionConfig })).resolves.toMatchObject({ solutionArn: expect.stringContaining(':solution/') });
  });

  test('performHPO on a recipe without manual HPO', async () => {
    await expect(create({ recipeArn: UP_V2, performHPO: true })).rejects.toMatchObject({
      name: 'InvalidInputException', message: 'performHPO is not supported for arn:aws:personalize:::recipe/aws-user-personalization-v2',
    });
  });

  test('recipe features: eventsConfig is for v2 recipes only; the schedule is 1-30 days', async () => {
    await expect(create({ solutionConfig: { eventsConfig: { eventParametersList: [] } } })).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(create({ recipeArn: UP_V2, solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(31 days)' } } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('between 1 and 30') });
  });

  test('an unknown recipe is ResourceNotFound; a legacy one (HRNN) is refused for new solutions, as the service does', async () => {
    await expect(create({ recipeArn: 'arn:aws:personalize:::recipe/aws-nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(create({ recipeArn: 'arn:aws:personalize:::recipe/aws-hrnn', performHPO: true, solutionConfig: upHpo(4, 2) }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('aws-hrnn is no longer available for new solutions') });
  });

  test('DescribeRecipe and ListRecipes', async () => {
    const { recipe } = await h.client.send(new DescribeRecipeCommand({ recipeArn: 'arn:aws:personalize:::recipe/aws-trending-now' }));
    expect(recipe).toMatchObject({ recipeType: 'POPULAR_ITEMS', algorithmArn: 'arn:aws:personalize:::algorithm/aws-trending-now-custom', status: 'ACTIVE' });
    expect(recipe!.creationDateTime).toBeInstanceOf(Date);
    const { recipes } = await h.client.send(new ListRecipesCommand({}));
    expect(recipes!.map((r) => r.name)).toContain('aws-user-personalization-v2');
    expect(recipes!.map((r) => r.name)).not.toContain('aws-hrnn');
  });
});
