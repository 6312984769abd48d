/**
 * A route without an @Access declaration keeps the service from starting.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { Access } from '../../server/auth/access.decorator';
import { AccessDeclarationCheck } from '../../server/auth/access-declaration.check';

@Access('brand:read')
@Controller('declared-on-class')
class DeclaredOnClassController {
  @Get()
  read(): string {
    return 'ok';
  }
}

@Controller('mixed')
class MixedController {
  @Get()
  @Access.public()
  open(): string {
    return 'ok';
  }

  @Post()
  forgotten(): string {
    return 'oops';
  }

  /** Not a route: needs no declaration. */
  helper(): string {
    return 'helper';
  }
}

async function bootstrap(controllers: (new () => object)[]): Promise<void> {
  @Module({ imports: [DiscoveryModule], controllers, providers: [AccessDeclarationCheck] })
  class CheckedModule {}
  const app = await NestFactory.createApplicationContext(CheckedModule, { logger: false, abortOnError: false });
  await app.close();
}

describe('AccessDeclarationCheck', () => {
  it('lets the service start when every route is declared, on the route or its controller', async () => {
    await expect(bootstrap([DeclaredOnClassController])).resolves.toBeUndefined();
  });

  it('refuses to start with a route that declares no access, naming it', async () => {
    await expect(bootstrap([DeclaredOnClassController, MixedController])).rejects.toThrow(
      'Routes without an @Access declaration: MixedController.forgotten',
    );
  });
});
