import fs from 'node:fs';
import path from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { LifecycleRule } from '@aws-sdk/client-s3';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';
import { LAMBDA_NODE_TARGET } from '../../scripts/buildLambda';
import { loadConfig } from '../../src/config';
import { configSchema } from '../../src/config/schema';
import { RULE as ABORT_UPLOADS_RULE } from '../../src/provisioning/bucketLifecycle';
import { tableDefinitions, timeToLiveDefinitions } from '../../src/provisioning/ensureTables';
import { checksumsTableDefinition } from '../../src/storage/tables/checksumsTable';
import { clustersTableDefinition } from '../../src/storage/tables/clustersTable';
import { embeddingsTableDefinition } from '../../src/storage/tables/embeddingsTable';
import { imagesTableDefinition } from '../../src/storage/tables/imagesTable';
import { RATE_LIMITS_EXPIRY_ATTRIBUTE, rateLimitsTableDefinition } from '../../src/storage/tables/rateLimitsTable';
import { WEBHOOKS_EXPIRY_ATTRIBUTE, webhooksTableDefinition } from '../../src/storage/tables/webhooksTable';
import { searchTermsTableDefinition } from '../../src/storage/tables/searchTermsTable';
import { awsCallsOf } from './awsCalls';

/**
 * deploy/aws/template.yaml against the code it deploys: tables and the bucket's lifecycle rule as the service
 * provisions them, only variables the service reads, no wildcard grants, and the HTTP API as the Lambda entry
 * expects it. `cfn-lint` (scripts/test.sh) checks the template against CloudFormation itself.
 */

// CloudFormation's short forms, read as the long forms they stand for (`!Ref X` is `{ Ref: X }`).
const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub'];
const CONDITIONS = ['And', 'Equals', 'If', 'Not', 'Or'];
const longForm = (name: string) => (['Ref', 'Condition'].includes(name) ? name : `Fn::${name}`);
const CUSTOM_TAGS: Array<ScalarTag | CollectionTag> = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  // `!GetAtt Resource.Attribute`: the attribute may itself hold dots.
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split(/\.(.*)/s, 2) }) },
  ...[...FUNCTIONS, ...CONDITIONS, 'GetAtt'].map((name): CollectionTag => ({
    tag: `!${name}`,
    collection: 'seq',
    resolve: (value) => ({ [longForm(name)]: value.toJSON() }),
  })),
  ...['Base64', 'GetAZs', 'ImportValue', 'Sub'].map((name): ScalarTag => ({
    tag: `!${name}`,
    resolve: (value: string) => ({ [longForm(name)]: value }),
  })),
];

const template = parse(fs.readFileSync(path.join(__dirname, '../../deploy/aws/template.yaml'), 'utf8'), {
  customTags: CUSTOM_TAGS,
});
const resources = template.Resources;
const ofType = (type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);

const [functionId, ...otherFunctions] = ofType('AWS::Serverless::Function');
const apiFunction = resources[functionId!].Properties;
const environment: Record<string, unknown> = apiFunction.Environment.Variables;

/** An ECS container's environment as name → value; an entry under `!If [Condition, entry, AWS::NoValue]` as its entry. */
function containerEnvironment(entries: unknown[]): Record<string, unknown> {
  return Object.fromEntries(
    entries.map((entry) => {
      const { Name, Value } = ((entry as { 'Fn::If'?: unknown[] })['Fn::If']?.[1] ?? entry) as {
        Name: string;
        Value: unknown;
      };
      return [Name, Value];
    }),
  );
}
const [workerTaskId] = ofType('AWS::ECS::TaskDefinition');
const workerTask = resources[workerTaskId!].Properties;
const workerContainer = workerTask.ContainerDefinitions[0];
const workerEnvironment = containerEnvironment(workerContainer.Environment);

/** Each process the template runs: its entry point, its variables, and the statements of the role it runs as. */
const PROCESSES = {
  api: { entry: 'src/lambda/index.ts', environment, role: resources[apiFunction.Role['Fn::GetAtt'][0]] },
  worker: {
    entry: 'src/workers/main.ts',
    environment: workerEnvironment,
    role: resources[workerTask.TaskRoleArn['Fn::GetAtt'][0]].Properties.ManagedPolicyArns.map(
      (arn: { Ref: string }) => resources[arn.Ref],
    ),
  },
};

/**
 * Each table: its resource, the code that defines it, the variable that names it, whether its items are records
 * (kept: recoverable to a point in time, retained with the stack) or scratch that expires (its TTL attribute).
 */
interface TableDeclaration {
  define: (name: string) => CreateTableCommandInput;
  variable: string;
  kept: boolean;
  timeToLive?: string;
}
const TABLES: Record<string, TableDeclaration> = {
  ImagesTable: { define: imagesTableDefinition, variable: 'DYNAMODB_TABLE_IMAGES', kept: true },
  EmbeddingsTable: { define: embeddingsTableDefinition, variable: 'DYNAMODB_TABLE_EMBEDDINGS', kept: true },
  ClustersTable: { define: clustersTableDefinition, variable: 'DYNAMODB_TABLE_CLUSTERS', kept: true },
  SearchTermsTable: { define: searchTermsTableDefinition, variable: 'DYNAMODB_TABLE_SEARCH_TERMS', kept: true },
  ChecksumsTable: { define: checksumsTableDefinition, variable: 'DYNAMODB_TABLE_CHECKSUMS', kept: true },
  WebhooksTable: {
    define: webhooksTableDefinition,
    variable: 'DYNAMODB_TABLE_WEBHOOKS',
    kept: true,
    timeToLive: WEBHOOKS_EXPIRY_ATTRIBUTE,
  },
  RateLimitsTable: {
    define: rateLimitsTableDefinition,
    variable: 'DYNAMODB_TABLE_RATE_LIMITS',
    kept: false,
    timeToLive: RATE_LIMITS_EXPIRY_ATTRIBUTE,
  },
};

const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
  (a.AttributeName ?? '').localeCompare(b.AttributeName ?? '');

/** The bucket rule as CloudFormation spells it: `Id`, and a `Prefix` of its own instead of S3's `Filter`. */
function asCloudFormation({ ID, Filter, ...rest }: LifecycleRule): Record<string, unknown> {
  expect(Object.keys(Filter ?? {}).filter((key) => key !== 'Prefix')).toEqual([]);
  return { Id: ID, ...(Filter?.Prefix ? { Prefix: Filter.Prefix } : {}), ...rest };
}

/** Every IAM statement anywhere in the template (roles, managed and bucket policies), both branches of an !If. */
function statements(node: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap(statements);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = Array.isArray(record.Statement)
    ? record.Statement.flatMap((entry) => (entry['Fn::If'] ? entry['Fn::If'].slice(1) : [entry])).filter(
        (entry: Record<string, unknown>) => entry.Effect,
      )
    : [];
  return [...own, ...Object.values(record).flatMap(statements)];
}

describe('the AWS deployment template', () => {
  it('runs the function on the Node release its bundle is built for', () => {
    expect(apiFunction.Runtime).toBe(`${LAMBDA_NODE_TARGET.replace(/^node/, 'nodejs')}.x`);
  });

  it('declares the tables the service provisions, each named to the function by its variable', () => {
    expect(ofType('AWS::DynamoDB::Table').sort()).toEqual(Object.keys(TABLES).sort());
    expect(tableDefinitions(loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe' }))).toHaveLength(
      ofType('AWS::DynamoDB::Table').length,
    );
    for (const [id, { variable }] of Object.entries(TABLES)) expect(environment[variable]).toEqual({ Ref: id });
  });

  it('gives TTL to the tables whose items the service lets expire, on the attribute it writes', () => {
    // Each table named after its resource, so the code's TTL definitions name the resources.
    const named = loadConfig({
      FIREBASE_PROJECT_ID: 'imagepipe',
      ...Object.fromEntries(Object.entries(TABLES).map(([id, { variable }]) => [variable, id])),
    });
    const expiring = Object.entries(TABLES).filter(([, { timeToLive }]) => timeToLive);
    expect(timeToLiveDefinitions(named)).toEqual(
      expiring.map(([id, { timeToLive }]) => ({ tableName: id, attributeName: timeToLive })),
    );
  });

  it.each(Object.entries(TABLES))(
    '%s has the keys, attributes, indexes and TTL of its code definition',
    (id, { define, kept, timeToLive }) => {
      const table = resources[id];
      const code = define('any-name');
      const indexes = (list: CreateTableCommandInput['GlobalSecondaryIndexes']) =>
        (list ?? []).map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }));
      expect(table.Properties.BillingMode).toBe(code.BillingMode);
      expect([...table.Properties.AttributeDefinitions].sort(byName)).toEqual(
        [...code.AttributeDefinitions!].sort(byName),
      );
      expect(table.Properties.KeySchema).toEqual(code.KeySchema);
      expect(indexes(table.Properties.GlobalSecondaryIndexes)).toEqual(indexes(code.GlobalSecondaryIndexes));
      expect(table.Properties.LocalSecondaryIndexes).toEqual(code.LocalSecondaryIndexes);
      expect(table.Properties.TimeToLiveSpecification).toEqual(
        timeToLive ? { AttributeName: timeToLive, Enabled: true } : undefined,
      );
      // Records are kept; scratch that expires is not worth restoring or keeping once the stack is gone.
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual(
        kept ? { PointInTimeRecoveryEnabled: true } : undefined,
      );
      expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(
        kept ? ['Retain', 'Retain'] : ['Delete', 'Delete'],
      );
    },
  );

  it('gives the bucket the lifecycle rule the service provisions, and expires nothing else', () => {
    const [bucketId] = ofType('AWS::S3::Bucket');
    const rules: Array<Record<string, unknown>> = resources[bucketId!].Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(asCloudFormation(ABORT_UPLOADS_RULE));
    expect(rules.filter((rule) => rule.ExpirationInDays ?? rule.ExpirationDate)).toEqual([]);
  });

  it.each(Object.entries(PROCESSES))(
    'sets only variables the service reads for the %s, and every one it requires',
    (_, { environment: variables }) => {
      // NODE_OPTIONS is Node's own (--enable-source-maps, for the bundle's source maps), not the service's.
      const known = (name: string) =>
        name === 'NODE_OPTIONS' || Object.hasOwn(configSchema.shape, name.replace(/_SECRET_ARN$/, ''));
      expect(Object.keys(variables).filter((name) => !known(name))).toEqual([]);
      const required = Object.entries(configSchema.shape)
        .filter(([, schema]) => !schema.safeParse(undefined).success)
        .map(([name]) => name);
      expect(required.filter((name) => !(name in variables) && !(`${name}_SECRET_ARN` in variables))).toEqual([]);
      // Both reach the same Temporal, tables and bucket.
      for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'TEMPORAL_TLS', 'S3_BUCKET'])
        expect(variables[name]).toEqual(environment[name]);
      for (const { variable } of Object.values(TABLES).filter(({ kept }) => kept))
        expect(variables[variable]).toEqual(environment[variable]);
    },
  );

  it.each(Object.entries(PROCESSES))(
    'lets the %s read every secret it references',
    (_, { environment: variables, role }) => {
      const secretGrants = statements(role)
        .filter((statement) => statement.Effect === 'Allow' && statement.Action === 'secretsmanager:GetSecretValue')
        .map((statement) => statement.Resource);
      const references = Object.entries(variables).filter(([name]) => name.endsWith('_SECRET_ARN'));
      expect(references.length).toBeGreaterThan(0);
      for (const [, value] of references) {
        // `!Ref Parameter`, or `!If [Condition, !Ref Parameter, !Ref AWS::NoValue]` for an optional one.
        const reference = (value as { 'Fn::If'?: unknown[] })['Fn::If']?.[1] ?? value;
        // The secret itself: a reference's #field is not part of its ARN.
        expect(secretGrants).toContainEqual({ 'Fn::Select': [0, { 'Fn::Split': ['#', reference] }] });
      }
    },
  );

  it.each(Object.entries(PROCESSES))(
    'allows the %s exactly the S3 and DynamoDB calls its code makes, on the resources it makes them on',
    (_, { entry, role }) => {
      const { calls, unknownCommands } = awsCallsOf(entry);
      expect(unknownCommands).toEqual([]);
      /** A statement's resource as the template resource it names: `!GetAtt X.Arn`, or `!Sub ${X.Arn}/...`. */
      const resourceOf = (resource: unknown): string =>
        (resource as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0] ??
        /^\$\{(\w+)\.Arn\}/.exec((resource as { 'Fn::Sub'?: string })['Fn::Sub'] ?? '')?.[1] ??
        JSON.stringify(resource);
      const granted: Record<string, string[]> = {};
      for (const statement of statements(role).filter((each) => each.Effect === 'Allow')) {
        for (const action of [statement.Action].flat() as string[]) {
          if (!/^(s3|dynamodb):/.test(action)) continue;
          for (const resource of [statement.Resource].flat()) (granted[action] ??= []).push(resourceOf(resource));
        }
      }
      const sorted = (record: Record<string, Iterable<string>>) =>
        Object.fromEntries(
          Object.entries(record)
            .filter(([action]) => /^(s3|dynamodb):/.test(action))
            .map(([action, resources]): [string, string[]] => [action, [...new Set(resources)].sort()])
            .sort(([a], [b]) => a.localeCompare(b)),
        );
      expect(sorted(granted)).toEqual(sorted(calls));
      // Outside S3 and DynamoDB: secrets at start-up (granted per secret, above), and the worker's backlog metric.
      const others = Object.keys(calls).filter((action) => !/^(s3|dynamodb):/.test(action));
      const metrics = statements(role).some((statement) => statement.Action === 'cloudwatch:PutMetricData');
      expect(others.sort()).toEqual(
        ['command:GetSecretValueCommand', ...(metrics ? ['command:PutMetricDataCommand'] : [])].sort(),
      );
    },
  );

  it('requires the service account key of the function', () => {
    // Revocation checks are on (the default), so the API refuses to start without a key: the parameter is required.
    const parameter = template.Parameters.FirebaseServiceAccountSecretArn;
    expect(environment.FIREBASE_SERVICE_ACCOUNT_SECRET_ARN).toEqual({ Ref: 'FirebaseServiceAccountSecretArn' });
    expect(environment.FIREBASE_CHECK_REVOKED).toBeUndefined();
    expect(parameter.Default).toBeUndefined();
    const allowed = new RegExp(parameter.AllowedPattern);
    expect(allowed.test('arn:aws:secretsmanager:eu-west-1:123456789012:secret:imagepipe/firebase-AbCdEf')).toBe(true);
    expect(allowed.test('')).toBe(false);
  });

  it('grants no action or resource wildcard', () => {
    // Deny statements grant nothing (the bucket policy denies s3:* over plain HTTP); nothing here needs Resource
    // '*' (the function's logs come with AWSLambdaBasicExecutionRole).
    const grants = statements(template).filter((statement) => statement.Effect === 'Allow');
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      expect(grant.NotAction).toBeUndefined();
      expect([grant.Action].flat().filter((action) => typeof action !== 'string' || action.includes('*'))).toEqual([]);
      // PutMetricData names no resource (CloudWatch has none for it): it is held to one metric namespace instead.
      if (grant.Action === 'cloudwatch:PutMetricData') {
        expect(grant.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': { Ref: 'AWS::StackName' } } });
        expect(workerEnvironment.WORKER_BACKLOG_METRICS_NAMESPACE).toEqual({ Ref: 'AWS::StackName' });
        continue;
      }
      expect([grant.Resource ?? []].flat()).not.toContain('*');
    }
    expect(apiFunction.Policies).toBeUndefined();
  });

  it('runs the worker from the image with its own command, draining within the stop timeout, on arm64', () => {
    expect(workerTask.RequiresCompatibilities).toEqual(['FARGATE']);
    expect(workerTask.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
    expect(workerContainer.Image).toEqual({ Ref: 'WorkerImage' });
    expect(workerContainer.Command).toEqual(['node', 'dist/workers/main.js']);
    // SIGKILL comes StopTimeout seconds after SIGTERM: the worker's own grace must end first.
    const graceMs = Number(workerEnvironment.WORKER_SHUTDOWN_GRACE_MS);
    expect(
      loadConfig({ FIREBASE_PROJECT_ID: 'p', WORKER_SHUTDOWN_GRACE_MS: String(graceMs) }).worker.shutdownGraceMs,
    ).toBe(graceMs);
    expect(graceMs).toBeLessThanOrEqual((workerContainer.StopTimeout - 15) * 1000);
    // Its health check asks the metrics endpoint the worker is told to serve.
    const metricsAddress = String(workerEnvironment.WORKER_METRICS_ADDRESS);
    expect(workerContainer.HealthCheck.Command.join(' ')).toContain(`http://${metricsAddress}/metrics`);
    expect(workerContainer.LogConfiguration.LogDriver).toBe('awslogs');
  });

  it('scales the worker service on the backlog the workers publish, and on CPU', () => {
    const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy').map(
      (id) => resources[id].Properties.TargetTrackingScalingPolicyConfiguration,
    );
    const backlog = policies.find((policy) => policy.CustomizedMetricSpecification);
    expect(backlog.CustomizedMetricSpecification).toMatchObject({
      Namespace: workerEnvironment.WORKER_BACKLOG_METRICS_NAMESPACE,
      MetricName: 'BacklogPerWorker',
      Dimensions: [{ Name: 'TaskQueue', Value: workerEnvironment.TEMPORAL_TASK_QUEUE }],
    });
    expect(workerEnvironment.WORKER_BACKLOG_METRICS).toBe('cloudwatch');
    expect(policies.map((policy) => policy.PredefinedMetricSpecification?.PredefinedMetricType)).toContain(
      'ECSServiceAverageCPUUtilization',
    );
    const [targetId] = ofType('AWS::ApplicationAutoScaling::ScalableTarget');
    expect(resources[targetId!].Properties).toMatchObject({
      MinCapacity: { Ref: 'WorkerMinCount' },
      MaxCapacity: { Ref: 'WorkerMaxCount' },
    });
  });

  it('serves the function through an HTTP API, payload format 2.0, without API Gateway CORS', () => {
    expect(otherFunctions).toEqual([]);
    const events: Array<{ Type: string; Properties: { PayloadFormatVersion?: string; ApiId: { Ref: string } } }> =
      Object.values(apiFunction.Events);
    expect(events.map((event) => event.Type)).toEqual(['HttpApi']);
    const { PayloadFormatVersion, ApiId } = events[0]!.Properties;
    expect(PayloadFormatVersion).toBe('2.0');
    const api = resources[ApiId.Ref];
    expect(api.Type).toBe('AWS::Serverless::HttpApi');
    // The app answers CORS itself, preflights included: API Gateway's would answer in its place.
    expect(api.Properties.CorsConfiguration).toBeUndefined();
    expect(template.Globals?.HttpApi?.CorsConfiguration).toBeUndefined();
  });
});
