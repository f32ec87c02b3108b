/**
 * Runs inside a checkout of another revision (copied there by revision-renderer.ts): renders the recipes it is
 * sent with that checkout's `warp` generator, as served (a worker pool, pasted back), and sends the images back
 * over the IPC channel. Only WarpGenerator's long-standing interface is used: open, render, close.
 */
import { WarpGenerator } from '@facex/warp';

interface RenderMessage {
  id: number;
  recipe: Parameters<WarpGenerator['render']>[0];
  inputs: Parameters<WarpGenerator['render']>[1];
  options?: Parameters<WarpGenerator['render']>[2];
}

async function serve(): Promise<void> {
  const send = (message: object) => process.send?.(message);
  const generator = await WarpGenerator.open({ workers: 1 });
  process.on('message', (message: RenderMessage) => {
    generator.render(message.recipe, message.inputs, message.options).then(
      (edit) => send({ id: message.id, image: edit.image, degraded: edit.quality.flag === 'degraded' }),
      (error: unknown) => send({ id: message.id, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
    );
  });
  process.on('disconnect', () => {
    generator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  send({ ready: true });
}

serve().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
