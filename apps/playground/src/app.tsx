/**
 * The playground: a key, photos, a task and its options, live progress of the edit's stages (server-sent
 * events through @facex/client), a before/after comparison and the download. Everything goes through the
 * public API of the gateway that serves the page, so it behaves the same embedded and distributed.
 */
import { useEffect, useState } from 'preact/hooks';
import { createFacexClient, FacexApiError, type Edit, type FacexClient, type IssuedApiKey, type TaskCatalog } from '@facex/client';
import { capabilitiesOf, facesOf, type Capabilities, type FaceBox } from './capabilities';
import { Compare } from './compare';
import { editRequestOf, missingOf, TASKS, type EditForm, type TaskName } from './edit-request';

/**
 * The API key: from the link `npm start` prints (`#key=…`, a fragment the browser never sends), else what the
 * user entered; kept in sessionStorage for this tab only, and removed from the address bar.
 */
const STORAGE_KEY = 'facex.apiKey';

function initialKey(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    history.replaceState(null, '', location.pathname + location.search);
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

function rememberKey(key: string): void {
  if (key) sessionStorage.setItem(STORAGE_KEY, key);
  else sessionStorage.removeItem(STORAGE_KEY);
}

interface Photo {
  id: string;
  name: string;
  url: string;
  width: number;
  height: number;
  /** Detected faces when the API lists them; null while unknown or when it does not. */
  faces: FaceBox[] | null;
}

interface Run {
  edit: Edit;
  /** Per stage, the last progress seen (step/steps), so finished stages stay full. */
  stages: Record<string, { step: number; steps: number }>;
  result?: { url: string; generator: string | null; contentType: string };
  before?: string;
}

const STAGES = [
  { name: 'extract', label: 'Analyse faces' },
  { name: 'assemble', label: 'Assemble conditions' },
  { name: 'render', label: 'Render' },
] as const;

const describe = (error: unknown): string =>
  error instanceof FacexApiError ? `${error.problem.title}: ${error.problem.detail}` : error instanceof Error ? error.message : String(error);

function useCapabilities(): Capabilities {
  const [capabilities, setCapabilities] = useState<Capabilities>({ faces: false, motion: [] });
  useEffect(() => {
    fetch('/docs/openapi.json')
      .then((response) => (response.ok ? response.json() : null))
      .then((document) => setCapabilities(capabilitiesOf(document)))
      .catch(() => undefined);
  }, []);
  return capabilities;
}

/** Creates a key with an admin key: the new key is shown once, to copy or to use here at once. */
function CreateKey({ admin, onUse }: { admin: FacexClient; onUse: (key: string) => void }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<IssuedApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="create-key">
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          admin.createKey({ name: name.trim() }).then(setCreated, (caught: unknown) => setError(describe(caught)));
        }}
      >
        <label for="new-key-name">New key for</label>
        <input
          id="new-key-name"
          type="text"
          required
          maxLength={100}
          placeholder="a name, e.g. my app"
          value={name}
          onInput={(event) => setName((event.target as HTMLInputElement).value)}
        />
        <button type="submit">Create a key</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {created && (
        <div role="status" class="row ok">
          <label for="created-key">Key “{created.name}” (shown this once; copy it now)</label>
          <input id="created-key" type="text" readOnly value={created.key} onFocus={(event) => (event.target as HTMLInputElement).select()} />
          <button type="button" onClick={() => onUse(created.key)}>
            Use this key
          </button>
        </div>
      )}
    </div>
  );
}

function KeyPanel({ onClient }: { onClient: (client: FacexClient | null, catalog: TaskCatalog | null) => void }) {
  const [key, setKey] = useState(initialKey);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [admin, setAdmin] = useState<FacexClient | null>(null);
  const connect = async (value: string): Promise<void> => {
    if (!value) return;
    const client = createFacexClient({ baseUrl: location.origin, apiKey: value });
    try {
      const [catalog, account] = await Promise.all([client.tasks(), client.account()]);
      rememberKey(value);
      setAdmin(account.admin ? client : null);
      setStatus({
        ok: true,
        text: `Key “${account.name}”${account.admin ? ' (admin)' : ''} accepted. Generators: ${catalog.generators
          .filter((generator) => generator.usable)
          .map((generator) => generator.name)
          .join(', ')}.`,
      });
      onClient(client, catalog);
    } catch (error) {
      setStatus({ ok: false, text: describe(error) });
      setAdmin(null);
      onClient(null, null);
    }
  };
  useEffect(() => void connect(key), []);
  return (
    <section aria-labelledby="key-heading">
      <h2 id="key-heading">1. API key</h2>
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void connect(key.trim());
        }}
      >
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder="fx_…"
          value={key}
          onInput={(event) => setKey((event.target as HTMLInputElement).value)}
        />
        <button type="submit">Use key</button>
      </form>
      <p class="hint">
        <code>npm start</code> prints a link that fills this in (an admin key, which can create others below). An operator also creates keys with{' '}
        <code>npm run facex -- keys create --name me</code>. The key stays in this tab only.
      </p>
      {status && (
        <p role={status.ok ? 'status' : 'alert'} class={status.ok ? 'ok' : 'error'}>
          {status.text}
        </p>
      )}
      {admin && (
        <CreateKey
          admin={admin}
          onUse={(created) => {
            setKey(created);
            void connect(created);
          }}
        />
      )}
    </section>
  );
}

/** The face of a role's photo: the detected faces when the API lists them, else an index. */
function FacePicker({
  id,
  role,
  photo,
  selected,
  onPick,
}: {
  id: string;
  role: string;
  photo: Photo | undefined;
  selected: number;
  onPick: (index: number) => void;
}) {
  if (photo?.faces && photo.faces.length > 0) {
    return (
      <>
        <label for={id}>{role}: face</label>
        <select id={id} value={selected} onChange={(event) => onPick(Number((event.target as HTMLSelectElement).value))}>
          {photo.faces.map((face, position) => (
            <option key={face.index} value={face.index}>
              Face {position + 1}
              {position === 0 ? ' (largest)' : ''}
            </option>
          ))}
        </select>
      </>
    );
  }
  return (
    <>
      <label for={id}>{role}: face (0 = largest)</label>
      <input
        id={id}
        type="number"
        min={0}
        max={63}
        value={selected}
        disabled={photo?.faces?.length === 0}
        onInput={(event) => onPick(Number((event.target as HTMLInputElement).value) || 0)}
      />
    </>
  );
}

function PhotoCard({ photo }: { photo: Photo }) {
  return (
    <li class="photo">
      <div class="photo-frame">
        <img src={photo.url} alt={photo.name} />
        {photo.faces?.map((face, position) => (
          <span
            key={face.index}
            class="face-box"
            aria-hidden="true"
            style={{
              left: `${(100 * face.x) / photo.width}%`,
              top: `${(100 * face.y) / photo.height}%`,
              width: `${(100 * face.width) / photo.width}%`,
              height: `${(100 * face.height) / photo.height}%`,
            }}
          >
            <span class="face-number">{position + 1}</span>
          </span>
        ))}
      </div>
      <p class="photo-name">
        {photo.name} · {photo.width}×{photo.height}
        {photo.faces ? ` · ${photo.faces.length === 0 ? 'no face found' : `${photo.faces.length} face${photo.faces.length > 1 ? 's' : ''}`}` : ''}
      </p>
    </li>
  );
}

function PhotosPanel({
  client,
  capabilities,
  photos,
  setPhotos,
}: {
  client: FacexClient;
  capabilities: Capabilities;
  photos: Photo[];
  setPhotos: (update: (photos: Photo[]) => Photo[]) => void;
}) {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const add = async (files: File[]): Promise<void> => {
    setError(null);
    setBusy((count) => count + files.length);
    await Promise.all(
      files.map(async (file) => {
        try {
          const asset = await client.uploadFile(file, { filename: file.name });
          let detected: FaceBox[] | null = null;
          if (capabilities.faces) detected = facesOf(await client.getJson(`/v1/assets/${asset.id}/faces`));
          const photo: Photo = { id: asset.id, name: file.name, url: URL.createObjectURL(file), width: asset.width, height: asset.height, faces: detected };
          setPhotos((current) => (current.some((existing) => existing.id === photo.id) ? current : [...current, photo]));
        } catch (caught) {
          setError(`${file.name}: ${describe(caught)}`);
        } finally {
          setBusy((count) => count - 1);
        }
      }),
    );
  };

  return (
    <section aria-labelledby="photos-heading">
      <h2 id="photos-heading">2. Photos</h2>
      <div
        class={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void add(Array.from(event.dataTransfer?.files ?? []).filter((file) => file.type.startsWith('image/')));
        }}
      >
        <p>Drop JPEG, PNG or WebP photos here, or</p>
        <label class="button" for="photo-input">
          Choose photos
        </label>
        <input
          id="photo-input"
          class="visually-hidden"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          multiple
          onChange={(event) => {
            const target = event.target as HTMLInputElement;
            void add(Array.from(target.files ?? []));
            target.value = '';
          }}
        />
      </div>
      <p role="status" class="hint">
        {busy > 0 ? `Uploading ${busy} photo${busy > 1 ? 's' : ''}…` : `${photos.length} photo${photos.length === 1 ? '' : 's'} uploaded.`}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="photos">
        {photos.map((photo) => (
          <PhotoCard key={photo.id} photo={photo} />
        ))}
      </ul>
    </section>
  );
}

function EditPanel({
  catalog,
  capabilities,
  photos,
  form,
  setForm,
  onRun,
  running,
}: {
  catalog: TaskCatalog;
  capabilities: Capabilities;
  photos: Photo[];
  form: EditForm;
  setForm: (update: Partial<EditForm>) => void;
  onRun: () => void;
  running: boolean;
}) {
  const tasks = (Object.keys(TASKS) as TaskName[]).filter(
    (task) => (catalog.presets as string[]).includes(TASKS[task].preset) && (!TASKS[task].needsMotion || capabilities.motion.length > 0),
  );
  const spec = TASKS[form.task];
  const missing = missingOf(form);
  const generators = catalog.generators.filter((generator) => generator.usable);
  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">3. Edit</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onRun();
        }}
      >
        <div class="grid">
          <label>
            Task
            <select value={form.task} onChange={(event) => setForm({ task: (event.target as HTMLSelectElement).value as TaskName, regions: [] })}>
              {tasks.map((task) => (
                <option key={task} value={task}>
                  {TASKS[task].label}
                </option>
              ))}
            </select>
          </label>
          {spec.roles.map((role) => (
            <div key={role.name} class="role">
              <label for={`role-${role.name}`}>{role.label}</label>
              <select
                id={`role-${role.name}`}
                value={form.roles[role.name] ?? ''}
                onChange={(event) =>
                  setForm({
                    roles: { ...form.roles, [role.name]: (event.target as HTMLSelectElement).value || undefined },
                    faces: { ...form.faces, [role.name]: 0 },
                  })
                }
              >
                <option value="">Choose a photo…</option>
                {photos.map((photo) => (
                  <option key={photo.id} value={photo.id}>
                    {photo.name}
                  </option>
                ))}
              </select>
              <FacePicker
                id={`face-${role.name}`}
                role={role.label}
                photo={photos.find((photo) => photo.id === form.roles[role.name])}
                selected={form.faces[role.name] ?? 0}
                onPick={(index) => setForm({ faces: { ...form.faces, [role.name]: index } })}
              />
            </div>
          ))}
          <label>
            Generator
            <select value={form.generator ?? ''} onChange={(event) => setForm({ generator: (event.target as HTMLSelectElement).value || undefined })}>
              <option value="">Deployment default</option>
              {generators.map((generator) => (
                <option key={generator.name} value={generator.name}>
                  {generator.name}
                  {generator.modelPack ? ` (${generator.modelPack.name}@${generator.modelPack.version})` : ''}
                </option>
              ))}
            </select>
          </label>
          {spec.modes && (
            <label>
              Mode
              <select value={form.mode} onChange={(event) => setForm({ mode: (event.target as HTMLSelectElement).value as EditForm['mode'] })}>
                <option value="mask-out">Remove (mask out)</option>
                <option value="add-new">Add new</option>
              </select>
            </label>
          )}
        </div>
        {spec.regions && (
          <fieldset class="regions">
            <legend>Regions{spec.regions.required ? ' (at least one)' : ' (optional: all of the face when none)'}</legend>
            {spec.regions.names.map((region) => (
              <label key={region}>
                <input
                  type="checkbox"
                  checked={form.regions.includes(region)}
                  onChange={(event) =>
                    setForm({
                      regions: (event.target as HTMLInputElement).checked ? [...form.regions, region] : form.regions.filter((chosen) => chosen !== region),
                    })
                  }
                />
                {region}
              </label>
            ))}
          </fieldset>
        )}
        {capabilities.motion.length > 0 && (
          <details class="motion" open={spec.needsMotion}>
            <summary>Motion and expression{spec.needsMotion ? '' : ' (optional)'}: adjustments relative to the photo</summary>
            <fieldset>
              <legend class="visually-hidden">Motion and expression</legend>
              {capabilities.motion.map((control) => (
                <label key={control.name} title={control.description}>
                  {control.label}: {Number((form.motion[control.name] ?? control.defaultValue).toFixed(3))}
                  <input
                    type="range"
                    min={control.min}
                    max={control.max}
                    step={control.step}
                    value={form.motion[control.name] ?? control.defaultValue}
                    onInput={(event) => setForm({ motion: { ...form.motion, [control.name]: Number((event.target as HTMLInputElement).value) } })}
                  />
                </label>
              ))}
            </fieldset>
          </details>
        )}
        <div class="row">
          <button type="submit" disabled={running || missing !== null}>
            {running ? 'Running…' : 'Run edit'}
          </button>
          {missing && <span class="hint">{missing}</span>}
        </div>
      </form>
    </section>
  );
}

function ProgressPanel({ run, onCancel }: { run: Run; onCancel: () => void }) {
  const { edit } = run;
  const live = edit.status === 'queued' || edit.status === 'running';
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">4. Progress</h2>
      <p role="status" aria-live="polite" data-status={edit.status}>
        Edit <code>{edit.id}</code>: <strong>{edit.status}</strong>
        {edit.progress && edit.status === 'running' ? ` — ${edit.progress.stage} ${edit.progress.step}/${edit.progress.steps}` : ''}
      </p>
      <ol class="stages">
        {STAGES.map((stage) => {
          const seen = run.stages[stage.name];
          const done = edit.status === 'completed' || (seen !== undefined && seen.steps > 0 && seen.step >= seen.steps);
          const value = done ? 1 : seen && seen.steps > 0 ? seen.step / seen.steps : 0;
          return (
            <li key={stage.name} data-stage={stage.name}>
              <label>
                {stage.label}
                <progress max={1} value={value} aria-valuetext={done ? 'done' : seen ? `${seen.step} of ${seen.steps}` : 'waiting'} />
              </label>
            </li>
          );
        })}
      </ol>
      {live && (
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel edit
        </button>
      )}
      {edit.error && (
        <p role="alert" class="error">
          {edit.error.title}: {edit.error.detail}
        </p>
      )}
    </section>
  );
}

function ResultPanel({ run }: { run: Run }) {
  if (!run.result) return null;
  return (
    <section aria-labelledby="result-heading">
      <h2 id="result-heading">5. Result</h2>
      {run.before ? <Compare before={run.before} after={run.result.url} label="Edited photo" /> : <img class="result" src={run.result.url} alt="The result" />}
      <p class="row">
        <a class="button" href={run.result.url} download={`facex-${run.edit.id}.${run.result.contentType === 'image/jpeg' ? 'jpg' : 'png'}`}>
          Download
        </a>
        <span class="hint">Made by the {run.edit.result?.generator ?? run.result.generator ?? 'unknown'} generator.</span>
      </p>
    </section>
  );
}

export function App() {
  const capabilities = useCapabilities();
  const [client, setClient] = useState<FacexClient | null>(null);
  const [catalog, setCatalog] = useState<TaskCatalog | null>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [form, setFormState] = useState<EditForm>({ task: 'face-swap', roles: {}, faces: {}, regions: [], mode: 'mask-out', generator: undefined, motion: {} });
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setForm = (update: Partial<EditForm>): void => setFormState((current) => ({ ...current, ...update }));

  // Newly uploaded photos fill the empty roles in order: two photos are ready for a swap.
  useEffect(() => {
    const roles = { ...form.roles };
    const free = photos.filter((photo) => !Object.values(roles).includes(photo.id));
    for (const role of TASKS[form.task].roles) if (!roles[role.name] && free.length > 0) roles[role.name] = free.shift()?.id;
    if (JSON.stringify(roles) !== JSON.stringify(form.roles)) setForm({ roles });
  }, [photos, form.task]);

  const running = run !== null && (run.edit.status === 'queued' || run.edit.status === 'running');
  const start = async (): Promise<void> => {
    if (!client) return;
    setError(null);
    const frame = photos.find((photo) => photo.id === form.roles[TASKS[form.task].frame]);
    try {
      const { edit } = await client.createEdit(editRequestOf(form));
      setRun({ edit, stages: {}, ...(frame ? { before: frame.url } : {}) });
      const finished = await client.waitForEdit(edit.id, {
        onUpdate: (update) =>
          setRun((current) =>
            current && current.edit.id === update.id
              ? {
                  ...current,
                  edit: update,
                  stages: update.progress
                    ? { ...current.stages, [update.progress.stage]: { step: update.progress.step, steps: update.progress.steps } }
                    : current.stages,
                }
              : current,
          ),
      });
      if (finished.status !== 'completed') return;
      const result = await client.downloadResult(finished.id);
      const url = URL.createObjectURL(new Blob([result.bytes as Uint8Array<ArrayBuffer>], { type: result.contentType }));
      setRun((current) =>
        current && current.edit.id === finished.id
          ? { ...current, edit: finished, result: { url, generator: result.generator, contentType: result.contentType } }
          : current,
      );
    } catch (caught) {
      setError(describe(caught));
    }
  };

  return (
    <main>
      <header>
        <h1>FaceX playground</h1>
        <p class="hint">
          Try the API in the browser. Every call here is a public API call: see the <a href="/docs">API reference</a>.
        </p>
      </header>
      <KeyPanel
        onClient={(next, nextCatalog) => {
          setClient(next);
          setCatalog(nextCatalog);
        }}
      />
      {client && catalog && (
        <>
          <PhotosPanel client={client} capabilities={capabilities} photos={photos} setPhotos={setPhotos} />
          <EditPanel catalog={catalog} capabilities={capabilities} photos={photos} form={form} setForm={setForm} onRun={() => void start()} running={running} />
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          {run && <ProgressPanel run={run} onCancel={() => void client.cancelEdit(run.edit.id).catch((caught: unknown) => setError(describe(caught)))} />}
          {run && <ResultPanel run={run} />}
        </>
      )}
    </main>
  );
}
