/** The explorer's static files (/docs/assets/*); /docs itself, the JSON and /docs/problems are in OpsController. */
import { Controller, Get, Module, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProblemError } from '@facex/gateway-core';
import { explorerAsset } from './api-explorer';

@Controller('docs/assets')
export class DocsAssetsController {
  @Get(':name')
  asset(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = explorerAsset(name);
    if (!asset) throw new ProblemError('not_found', `no docs asset '${name}'`);
    // The page asks for each file with the package version in the query: a new version is a new URL.
    void reply.header('content-type', asset.contentType).header('cache-control', 'public, max-age=86400');
    return asset.body;
  }
}

@Module({ controllers: [DocsAssetsController] })
export class DocsModule {}
