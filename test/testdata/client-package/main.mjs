// A dApp's script as a user of the npm package writes it: plain Node, ES modules, no TypeScript
// loader. test/clientPackage.test.ts runs it in a fresh project where only the packed
// @ain-chain/client tarball is installed.
//
//   node main.mjs RPC_URL MNEMONIC RECIPIENT
import { stringToPath } from '@cosmjs/crypto';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { connectAin, fetchAppHash, verifyStateProof } from '@ain-chain/client';

const [rpcUrl, mnemonic, recipient] = process.argv.slice(2);
const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'ain', hdPaths: [stringToPath("m/44'/412'/0'/0/0")] });
const client = await connectAin({ rpcUrl, signer: wallet });
try {
  // A bank send, signed with the package's registry and fee defaults.
  const send = await client.signAndBroadcast([
    {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: { fromAddress: client.address, toAddress: recipient, amount: [{ denom: 'uain', amount: '12345' }] },
    },
  ]);
  // A state write: an app, then a value under it.
  await client.createApp('npmapp', { admins: [client.address] });
  const write = await client.ref('/apps/npmapp/greeting').setValue({ text: 'hello from npm' });
  // The value with its Merkle proof, checked against the app hash of the next block.
  const answer = await client.ref('/apps/npmapp/greeting/text').prove();
  const verified = await answer.verify();
  const appHash = await fetchAppHash(client.cometClient, answer.height + 1);
  const tampered = verifyStateProof({ appHash, path: answer.path, value: 'hello from elsewhere', proof: answer.proof });
  console.log(
    JSON.stringify({
      address: client.address,
      chainId: client.chainId,
      send: { code: send.code, height: send.height },
      write: { code: write.code, height: write.height },
      value: answer.value,
      height: answer.height,
      verified,
      tampered,
    }),
  );
} finally {
  client.disconnect();
}
