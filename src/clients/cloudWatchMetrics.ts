import { CloudWatchClient, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Config } from '../config';

/** One value of a metric, as CloudWatch stores it. */
export interface MetricDatum {
  name: string;
  value: number;
  unit: 'Count' | 'Seconds';
}

export interface CloudWatchMetrics {
  /** Puts the values, all with the same dimensions, in one PutMetricData request. */
  put(dimensions: Record<string, string>, data: MetricDatum[]): Promise<void>;
  destroy(): void;
}

/** Custom metrics in one CloudWatch namespace (the only one the worker's role may write to). */
export function createCloudWatchMetrics(
  config: Config,
  options: { namespace: string; endpoint?: string },
): CloudWatchMetrics {
  const client = new CloudWatchClient({
    region: config.aws.region,
    credentials: config.aws.credentials,
    endpoint: options.endpoint,
    maxAttempts: 3,
  });
  return {
    async put(dimensions, data) {
      const at = new Date();
      await client.send(
        new PutMetricDataCommand({
          Namespace: options.namespace,
          MetricData: data.map((datum) => ({
            MetricName: datum.name,
            Value: datum.value,
            Unit: StandardUnit[datum.unit],
            Timestamp: at,
            Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
          })),
        }),
      );
    },
    destroy: () => client.destroy(),
  };
}
