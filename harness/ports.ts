/** Non-default loopback ports so a user's own stack on 9092/8083/8081 is never touched. */
export const HOST = '127.0.0.1';
export const PORTS = {
  kafka: Number(process.env.SFPIPE_HARNESS_KAFKA_PORT ?? 19092),
  kafkaController: Number(process.env.SFPIPE_HARNESS_KAFKA_CONTROLLER_PORT ?? 19093),
  connect: Number(process.env.SFPIPE_HARNESS_CONNECT_PORT ?? 18083),
  snowflake: Number(process.env.SFPIPE_HARNESS_SNOWFLAKE_PORT ?? 18085),
} as const;
