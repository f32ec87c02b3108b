import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKeyGuard } from '../http/api-key.guard';
import { AccountController } from '../http/controllers/account.controller';
import { AssetsController } from '../http/controllers/assets.controller';
import { EditsController } from '../http/controllers/edits.controller';
import { FacesController } from '../http/controllers/faces.controller';
import { OpsController } from '../http/controllers/ops.controller';
import { EditDeliveriesController, WebhookEndpointsController } from '../http/controllers/webhooks.controller';
import { GATEWAY_CONTEXT, type GatewayContext } from '@facex/gateway-core';
import { DocsModule } from '../docs/docs.module';
import { PlaygroundModule, type PlaygroundFile } from '../playground/playground.module';

/** The Nest module: controllers over one injected GatewayContext (services are plain classes, see create-gateway). */
@Module({})
export class GatewayModule {
  static forContext(context: GatewayContext, pages: { playground?: Map<string, PlaygroundFile> | null } = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [DocsModule, ...(pages.playground ? [PlaygroundModule.forFiles(pages.playground)] : [])],
      controllers: [AssetsController, EditsController, EditDeliveriesController, WebhookEndpointsController, AccountController, OpsController, FacesController],
      providers: [{ provide: GATEWAY_CONTEXT, useValue: context }, ApiKeyGuard],
    };
  }
}
