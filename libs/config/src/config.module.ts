import { DynamicModule, Global, Module } from '@nestjs/common';
import { Environment } from './environment';

/** Injection token for the validated environment; nothing else reads process.env. */
export const ENVIRONMENT = Symbol('ENVIRONMENT');

/** Provides the environment that main.ts validated before Nest started. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: ENVIRONMENT, useValue: environment }],
      exports: [ENVIRONMENT],
    };
  }
}
