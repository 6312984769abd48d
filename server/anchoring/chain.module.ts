import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/app-config.module';
import { ChainConnection } from './chain-connection';
import { ServiceStateRepository } from './service-state.repository';

/**
 * The anchoring chain as a dependency: the connection (embedded dev chain or CHAIN_RPC_URL), the signer,
 * the contract in use (`ChainConnection.identity()` for bundles and the verifier page).
 */
@Module({
  imports: [AppConfigModule],
  providers: [ChainConnection, ServiceStateRepository],
  exports: [ChainConnection, ServiceStateRepository],
})
export class ChainModule {}
