import { Module } from '@nestjs/common';
import { PwaController } from './pwa.controller';
import { PwaFiles } from './pwa-files';

@Module({
  controllers: [PwaController],
  providers: [PwaFiles],
})
export class PwaModule {}
