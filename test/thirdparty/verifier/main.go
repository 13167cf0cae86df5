// Command verifier checks a ledger's Merkle log from the outside, the way a third-party auditor
// would: only the HTTP endpoints under /log, the Go standard library and golang.org/x/mod/sumdb
// (note for signed notes, tlog for proofs and tiles). No code of the ledger is used.
//
//	verifier -url http://127.0.0.1:3000 -key '<origin>+<id>+<key>' [-witness vkey]... [-trusted FILE] [-save FILE] [-seed N]
//
// It verifies the latest checkpoint (log signature, origin, body; each -witness cosignature), an
// inclusion proof of a random leaf, a consistency proof from a random earlier checkpoint, the
// root recomputed from the tiles, the entry bundle of the chosen leaf, and (with -trusted) a
// consistency proof from a checkpoint saved earlier. One line per check on stdout; the first
// failure is printed on stderr and the exit status is 1.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is the C2SP tlog-tiles height: 256 hashes a tile.
const tileHeight = 8

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// failure is the error of a failed check: main prints it and exits 1.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// notFound is a 404 answer.
type notFound struct{ error }

func (e *notFound) Unwrap() error { return e.error }

func fail(format string, args ...any) error { return &failure{fmt.Sprintf(format, args...)} }

func main() {
	var (
		baseURL   = flag.String("url", "", "ledger base URL, e.g. http://127.0.0.1:3000 (required)")
		logKey    = flag.String("key", "", "the log's verifier key <origin>+<id>+<base64>; fetched from /log/key when absent (not trustworthy)")
		trusted   = flag.String("trusted", "", "a checkpoint note saved earlier: its signature is checked and consistency to the current one proved")
		save      = flag.String("save", "", "write the current checkpoint note to this file")
		seed      = flag.Uint64("seed", 0, "seed of the random leaf and checkpoint choice (default: from the clock)")
		witnesses multiFlag
	)
	flag.Var(&witnesses, "witness", "a witness's cosigner verifier key (repeatable): its cosignature on the checkpoint is required")
	flag.Parse()
	if *baseURL == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: verifier -url URL [-key VKEY] [-witness VKEY]... [-trusted FILE] [-save FILE] [-seed N]")
		os.Exit(2)
	}
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano())
	}
	v := &verifier{
		base:   strings.TrimRight(*baseURL, "/"),
		client: &http.Client{Timeout: 20 * time.Second},
		rng:    rand.New(rand.NewPCG(*seed, 0x1ed9e7)),
		seed:   *seed,
	}
	if err := v.run(*logKey, witnesses, *trusted, *save); err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("OK: every check passed")
}

type verifier struct {
	base    string
	client  *http.Client
	rng     *rand.Rand
	seed    uint64
	logV    note.Verifier
	cosigVs []*cosignatureVerifier
	all     note.Verifiers
}

func (v *verifier) printf(format string, args ...any) { fmt.Printf("ok   "+format+"\n", args...) }

func (v *verifier) run(logKey string, witnessKeys []string, trustedFile, saveFile string) error {
	if logKey == "" {
		body, err := v.get("/log/key", "text/plain")
		if err != nil {
			return err
		}
		logKey = strings.TrimSuffix(string(body), "\n")
		fmt.Fprintf(os.Stderr, "WARNING: the log key was taken from %s/log/key, i.e. from the log itself: a real auditor must get it out of band (-key)\n", v.base)
	}
	logV, err := note.NewVerifier(logKey)
	if err != nil {
		return fail("log key %q: %v", logKey, err)
	}
	v.logV = logV
	list := []note.Verifier{logV}
	for _, k := range witnessKeys {
		cv, err := newCosignatureVerifier(k)
		if err != nil {
			return fail("witness key %q: %v", k, err)
		}
		v.cosigVs = append(v.cosigVs, cv)
		list = append(list, cv)
	}
	v.all = note.VerifierList(list...)
	v.printf("log key %s+%08x (Ed25519); seed %d", logV.Name(), logV.KeyHash(), v.seed)

	// The current checkpoint: the log's signature and every witness's cosignature.
	raw, err := v.get("/log/checkpoint", "text/plain")
	if err != nil {
		return err
	}
	cur, err := v.openCheckpoint(raw, "the latest checkpoint (/log/checkpoint)", true)
	if err != nil {
		return err
	}
	v.printf("checkpoint size %d root %s: signed by %s, origin matches the key", cur.size, cur.root, logV.Name())
	for _, cs := range cur.cosigs {
		v.printf("cosignature by %s+%08x on size %d, time %d (%s)", cs.name, cs.hash, cur.size, cs.time, time.Unix(int64(cs.time), 0).UTC().Format(time.RFC3339))
	}
	if n := len(cur.note.UnverifiedSigs); n > 0 {
		names := []string{}
		for _, s := range cur.note.UnverifiedSigs {
			names = append(names, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
		}
		v.printf("(%d signature line(s) by keys not given, not checked: %s)", n, strings.Join(names, ", "))
	}

	// The checkpoint of the same size from /log/checkpoints/{size} must be the same tree.
	same, err := v.checkpointOfSize(cur.size)
	if err != nil {
		return err
	}
	if same.root != cur.root {
		return fail("/log/checkpoints/%d has root %s, /log/checkpoint has %s for the same size", cur.size, same.root, cur.root)
	}
	v.printf("/log/checkpoints/%d: signed, same root", cur.size)

	if cur.size == 0 {
		v.printf("the tree is empty: no inclusion, consistency or tile check possible")
	} else {
		leaf := v.rng.Int64N(cur.size)
		incl, err := v.checkInclusion(leaf, cur)
		if err != nil {
			return err
		}
		if cur.size >= 2 {
			m := 1 + v.rng.Int64N(cur.size-1)
			old, err := v.checkpointOfSize(m)
			if err != nil {
				return err
			}
			n, err := v.checkConsistency(old, cur)
			if err != nil {
				return err
			}
			v.printf("consistency %d -> %d (/log/checkpoints/%d signed, root %s): %d hashes, tlog.CheckTree", m, cur.size, m, old.root, n)
			if _, _, err := v.tileRoot(old); err != nil {
				return err
			}
		}
		if err := v.checkTiles(cur, leaf, incl); err != nil {
			return err
		}
	}

	if trustedFile != "" {
		data, err := os.ReadFile(trustedFile)
		if err != nil {
			return fail("reading -trusted: %v", err)
		}
		t, err := v.openCheckpoint(data, "the trusted checkpoint "+trustedFile, false)
		if err != nil {
			return err
		}
		switch {
		case t.size > cur.size:
			return fail("the trusted checkpoint %s has size %d but the log's latest is %d: the log has rolled back", trustedFile, t.size, cur.size)
		case t.size == 0:
			// RFC 9162 defines no consistency proof from the empty tree (tlog.CheckTree refuses
			// size 0): every tree extends it, if its root is the empty tree's.
			if empty := sha256.Sum256(nil); t.root != tlog.Hash(empty) {
				return fail("the trusted checkpoint %s has size 0 but root %s, not the empty tree's %s", trustedFile, t.root, tlog.Hash(empty))
			}
			v.printf("trusted checkpoint %s (size 0): signed; the empty tree is a prefix of every tree", trustedFile)
		case t.size == cur.size:
			if t.root != cur.root {
				return fail("the trusted checkpoint %s and the latest have size %d but different roots (%s, %s): a fork", trustedFile, t.size, t.root, cur.root)
			}
			v.printf("trusted checkpoint %s (size %d): signed, same tree as the latest", trustedFile, t.size)
		default:
			n, err := v.checkConsistency(t, cur)
			if err != nil {
				return fmt.Errorf("the trusted checkpoint %s: %w", trustedFile, err)
			}
			v.printf("trusted checkpoint %s (size %d, root %s): signed; consistency %d -> %d: %d hashes, tlog.CheckTree", trustedFile, t.size, t.root, t.size, cur.size, n)
		}
	}

	if saveFile != "" {
		if err := os.WriteFile(saveFile, raw, 0o644); err != nil {
			return fail("writing -save: %v", err)
		}
		v.printf("saved the checkpoint of size %d to %s", cur.size, saveFile)
	}
	return nil
}

// get fetches base+path and requires 200 and the media type.
func (v *verifier) get(path, mediaType string) ([]byte, error) {
	resp, err := v.client.Get(v.base + path)
	if err != nil {
		return nil, fail("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fail("GET %s: reading the body: %v", path, err)
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, &notFound{fail("GET %s: status 404: %s", path, bytes.TrimSpace(body))}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fail("GET %s: status %d: %s", path, resp.StatusCode, bytes.TrimSpace(body))
	}
	if got, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || got != mediaType {
		return nil, fail("GET %s: Content-Type %q, want %s", path, resp.Header.Get("Content-Type"), mediaType)
	}
	return body, nil
}

type cosig struct {
	name string
	hash uint32
	time uint64
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
	note   *note.Note
	cosigs []cosig
}

// openCheckpoint verifies a signed note (the log's signature required; with requireWitnesses
// every -witness cosignature too; a known key's signature that does not verify fails) and parses
// its body as a C2SP tlog-checkpoint of this log's origin.
func (v *verifier) openCheckpoint(raw []byte, what string, requireWitnesses bool) (*checkpoint, error) {
	n, err := note.Open(raw, v.all)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			names := []string{}
			for _, s := range unverified.Note.UnverifiedSigs {
				names = append(names, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
			}
			return nil, fail("%s: no signature by the log key %s+%08x (it is signed by: %s)", what, v.logV.Name(), v.logV.KeyHash(), strings.Join(names, ", "))
		case errors.As(err, &invalid):
			return nil, fail("%s: the signature by %s+%08x does not verify (an edited note, or a forged line)", what, invalid.Name, invalid.Hash)
		default:
			return nil, fail("%s: not a signed note: %v", what, err)
		}
	}
	c := &checkpoint{note: n}
	signed := map[string]note.Signature{}
	for _, s := range n.Sigs {
		signed[fmt.Sprintf("%s+%08x", s.Name, s.Hash)] = s
	}
	if _, ok := signed[fmt.Sprintf("%s+%08x", v.logV.Name(), v.logV.KeyHash())]; !ok {
		return nil, fail("%s: no valid signature by the log key %s+%08x", what, v.logV.Name(), v.logV.KeyHash())
	}
	for _, w := range v.cosigVs {
		s, ok := signed[fmt.Sprintf("%s+%08x", w.name, w.hash)]
		if !ok {
			if requireWitnesses {
				return nil, fail("%s: no cosignature by the witness %s+%08x", what, w.name, w.hash)
			}
			continue
		}
		sig, _ := base64.StdEncoding.DecodeString(s.Base64)
		c.cosigs = append(c.cosigs, cosig{name: w.name, hash: w.hash, time: binary.BigEndian.Uint64(sig[4:12])})
	}
	c.origin, c.size, c.root, err = parseCheckpointBody(n.Text)
	if err != nil {
		return nil, fail("%s: %v", what, err)
	}
	if c.origin != v.logV.Name() {
		return nil, fail("%s: origin %q is not the log key's name %q", what, c.origin, v.logV.Name())
	}
	return c, nil
}

var decimal = regexp.MustCompile(`^(0|[1-9][0-9]{0,18})$`)

// parseCheckpointBody parses exactly "<origin>\n<size>\n<base64 root>\n" (c2sp.org/tlog-checkpoint,
// without extension lines, which this log does not write).
func parseCheckpointBody(text string) (origin string, size int64, root tlog.Hash, err error) {
	if !strings.HasSuffix(text, "\n") {
		return "", 0, root, errors.New("checkpoint body does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 3 {
		return "", 0, root, fmt.Errorf("checkpoint body has %d lines, want 3 (origin, size, root): %q", len(lines), text)
	}
	origin = lines[0]
	if origin == "" || strings.ContainsAny(origin, " \t\r") {
		return "", 0, root, fmt.Errorf("checkpoint origin line %q is empty or has white space", origin)
	}
	if !decimal.MatchString(lines[1]) {
		return "", 0, root, fmt.Errorf("checkpoint size line %q is not a decimal without leading zeros", lines[1])
	}
	size, err = strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return "", 0, root, fmt.Errorf("checkpoint size line %q: %v", lines[1], err)
	}
	root, err = decodeHash(lines[2])
	if err != nil {
		return "", 0, root, fmt.Errorf("checkpoint root line: %v", err)
	}
	return origin, size, root, nil
}

// decodeHash decodes canonical standard base64 of exactly 32 bytes.
func decodeHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != tlog.HashSize || base64.StdEncoding.EncodeToString(b) != s {
		return h, fmt.Errorf("%q is not the base64 of a 32-byte hash", s)
	}
	copy(h[:], b)
	return h, nil
}

func decodeHashes(list []string, what string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		h, err := decodeHash(s)
		if err != nil {
			return nil, fail("%s: hashes[%d]: %v", what, i, err)
		}
		out[i] = h
	}
	return out, nil
}

func (v *verifier) checkpointOfSize(size int64) (*checkpoint, error) {
	path := fmt.Sprintf("/log/checkpoints/%d", size)
	raw, err := v.get(path, "text/plain")
	if err != nil {
		return nil, err
	}
	c, err := v.openCheckpoint(raw, path, false)
	if err != nil {
		return nil, err
	}
	if c.size != size {
		return nil, fail("%s is a checkpoint of size %d", path, c.size)
	}
	return c, nil
}

// getJSON decodes a JSON answer, every field required (pointers stay nil when absent).
func (v *verifier) getJSON(path string, into any) error {
	body, err := v.get(path, "application/json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fail("GET %s: %v", path, err)
	}
	return nil
}

type inclusionAnswer struct {
	LeafIndex *int64    `json:"leafIndex"`
	TreeSize  *int64    `json:"treeSize"`
	EventID   *string   `json:"eventId"`
	EventHash *string   `json:"eventHash"`
	LeafHash  *string   `json:"leafHash"`
	Hashes    *[]string `json:"hashes"`
}

type inclusion struct {
	leaf    int64
	eventID string
	entry   []byte
	hash    tlog.Hash
}

var lowerHex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// fetchInclusion fetches and checks one inclusion proof in the tree of cur.
func (v *verifier) fetchInclusion(query string, cur *checkpoint) (*inclusion, int, error) {
	path := "/log/proof/inclusion?" + query
	var a inclusionAnswer
	if err := v.getJSON(path, &a); err != nil {
		return nil, 0, err
	}
	if a.LeafIndex == nil || a.TreeSize == nil || a.EventID == nil || a.EventHash == nil || a.LeafHash == nil || a.Hashes == nil {
		return nil, 0, fail("GET %s: missing field(s): want leafIndex, treeSize, eventId, eventHash, leafHash, hashes", path)
	}
	if *a.TreeSize != cur.size {
		return nil, 0, fail("GET %s: treeSize %d, asked for %d", path, *a.TreeSize, cur.size)
	}
	if *a.LeafIndex < 0 || *a.LeafIndex >= cur.size {
		return nil, 0, fail("GET %s: leafIndex %d outside the tree of size %d", path, *a.LeafIndex, cur.size)
	}
	if !lowerHex64.MatchString(*a.EventHash) {
		return nil, 0, fail("GET %s: eventHash %q is not 64 lower-case hex digits", path, *a.EventHash)
	}
	entry, _ := hex.DecodeString(*a.EventHash)
	leafHash, err := decodeHash(*a.LeafHash)
	if err != nil {
		return nil, 0, fail("GET %s: leafHash: %v", path, err)
	}
	if got := tlog.RecordHash(entry); got != leafHash {
		return nil, 0, fail("GET %s: leafHash %s is not RecordHash(eventHash) = %s", path, leafHash, got)
	}
	proof, err := decodeHashes(*a.Hashes, "GET "+path)
	if err != nil {
		return nil, 0, err
	}
	if err := tlog.CheckRecord(proof, cur.size, cur.root, *a.LeafIndex, leafHash); err != nil {
		return nil, 0, fail("GET %s: the inclusion proof of leaf %d does not lead to the root %s of size %d: %v", path, *a.LeafIndex, cur.root, cur.size, err)
	}
	return &inclusion{leaf: *a.LeafIndex, eventID: *a.EventID, entry: entry, hash: leafHash}, len(proof), nil
}

func (v *verifier) checkInclusion(leaf int64, cur *checkpoint) (*inclusion, error) {
	incl, n, err := v.fetchInclusion(fmt.Sprintf("leafIndex=%d&treeSize=%d", leaf, cur.size), cur)
	if err != nil {
		return nil, err
	}
	if incl.leaf != leaf {
		return nil, fail("/log/proof/inclusion?leafIndex=%d answered leafIndex %d", leaf, incl.leaf)
	}
	v.printf("inclusion of leaf %d (event %s, hash %x) in size %d: RecordHash(eventHash) = leafHash, %d hashes, tlog.CheckRecord", leaf, incl.eventID, incl.entry, cur.size, n)
	byID, _, err := v.fetchInclusion(fmt.Sprintf("eventId=%s&treeSize=%d", url.QueryEscape(incl.eventID), cur.size), cur)
	if err != nil {
		return nil, err
	}
	if byID.leaf != leaf || byID.eventID != incl.eventID || byID.hash != incl.hash {
		return nil, fail("/log/proof/inclusion?eventId=%s answered leaf %d (event %s), but leafIndex=%d is that event", incl.eventID, byID.leaf, byID.eventID, leaf)
	}
	v.printf("inclusion by eventId=%s: the same leaf %d, proof checked", incl.eventID, leaf)
	return incl, nil
}

type consistencyAnswer struct {
	From   *int64    `json:"from"`
	To     *int64    `json:"to"`
	Hashes *[]string `json:"hashes"`
}

// checkConsistency proves that old is a prefix of cur; it returns the proof's length.
func (v *verifier) checkConsistency(old, cur *checkpoint) (int, error) {
	path := fmt.Sprintf("/log/proof/consistency?from=%d&to=%d", old.size, cur.size)
	var a consistencyAnswer
	if err := v.getJSON(path, &a); err != nil {
		return 0, err
	}
	if a.From == nil || a.To == nil || a.Hashes == nil {
		return 0, fail("GET %s: missing field(s): want from, to, hashes", path)
	}
	if *a.From != old.size || *a.To != cur.size {
		return 0, fail("GET %s: answered from %d to %d", path, *a.From, *a.To)
	}
	proof, err := decodeHashes(*a.Hashes, "GET "+path)
	if err != nil {
		return 0, err
	}
	if err := tlog.CheckTree(proof, cur.size, cur.root, old.size, old.root); err != nil {
		return 0, fail("GET %s: the tree of size %d (root %s) is not proved to extend the tree of size %d (root %s): %v", path, cur.size, cur.root, old.size, old.root, err)
	}
	return len(proof), nil
}

// tileReader reads C2SP tlog-tiles: tlog's tile/8/<L>/<N> paths served as /log/tile/<L>/<N>.
type tileReader struct {
	v       *verifier
	fetched map[tlog.Tile][]byte
	saved   int
}

func (r *tileReader) Height() int { return tileHeight }

func c2spTilePath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), fmt.Sprintf("tile/%d/", tileHeight))
	if t.L == -1 {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return "/log/tile/" + p
}

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		if data, ok := r.fetched[t]; ok {
			out[i] = data
			continue
		}
		path := c2spTilePath(t)
		data, err := r.v.get(path, "application/octet-stream")
		var nf *notFound
		if errors.As(err, &nf) && t.W < 1<<tileHeight {
			// c2sp.org/tlog-tiles: a partial tile may be gone once the full tile exists; the
			// full tile's first W hashes are the same.
			full := t
			full.W = 1 << tileHeight
			if data, err = r.v.get(c2spTilePath(full), "application/octet-stream"); err == nil && len(data) == full.W*tlog.HashSize {
				data = data[:t.W*tlog.HashSize]
			}
		}
		if err != nil {
			return nil, err
		}
		if len(data) != t.W*tlog.HashSize {
			return nil, fail("GET %s: %d bytes, want %d (%d hashes)", path, len(data), t.W*tlog.HashSize, t.W)
		}
		r.fetched[t] = data
		out[i] = data
	}
	return out, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, _ [][]byte) { r.saved += len(tiles) }

// tileRoot recomputes c's root from the hash tiles of its size (tlog.TileHashReader checks every
// tile it reads against c's root; tlog.TreeHash then computes the root from them).
func (v *verifier) tileRoot(c *checkpoint) (*tileReader, tlog.HashReader, error) {
	tr := &tileReader{v: v, fetched: map[tlog.Tile][]byte{}}
	hr := tlog.TileHashReader(tlog.Tree{N: c.size, Hash: c.root}, tr)
	root, err := tlog.TreeHash(c.size, hr)
	if err != nil {
		return nil, nil, fail("tiles: the root of size %d could not be computed from /log/tile: %v", c.size, err)
	}
	if root != c.root {
		return nil, nil, fail("tiles: the root of size %d computed from /log/tile is %s, the checkpoint says %s", c.size, root, c.root)
	}
	paths := []string{}
	for t := range tr.fetched {
		paths = append(paths, c2spTilePath(t))
	}
	v.printf("tiles: root of size %d recomputed with tlog.TileHashReader + tlog.TreeHash from %d tile(s) (%s)", c.size, len(paths), strings.Join(sorted(paths), " "))
	return tr, hr, nil
}

// checkTiles recomputes the checkpoint's root from the hash tiles, reads the chosen leaf's hash
// from its level-0 tile, and checks the entry bundle of that tile against the tile's hashes.
func (v *verifier) checkTiles(cur *checkpoint, leaf int64, incl *inclusion) error {
	tr, hr, err := v.tileRoot(cur)
	if err != nil {
		return err
	}

	hs, err := hr.ReadHashes([]int64{tlog.StoredHashIndex(0, leaf)})
	if err != nil {
		return fail("tiles: reading leaf %d's hash: %v", leaf, err)
	}
	if hs[0] != incl.hash {
		return fail("tiles: leaf %d's hash in its tile is %s, the inclusion proof's leafHash is %s", leaf, hs[0], incl.hash)
	}

	// The entry bundle of the leaf's tile: uint16 big-endian length, then the entry, W times.
	n := leaf >> tileHeight
	w := min(int64(1)<<tileHeight, cur.size-n<<tileHeight)
	hashTile := tlog.Tile{H: tileHeight, L: 0, N: n, W: int(w)}
	hashData, err := tr.ReadTiles([]tlog.Tile{hashTile})
	if err != nil {
		return err
	}
	dataTile := tlog.Tile{H: tileHeight, L: -1, N: n, W: int(w)}
	path := c2spTilePath(dataTile)
	bundle, err := v.get(path, "application/octet-stream")
	if err != nil {
		return err
	}
	rest := bundle
	for i := int64(0); i < w; i++ {
		if len(rest) < 2 {
			return fail("GET %s: the bundle ends after %d of %d entries", path, i, w)
		}
		size := int(binary.BigEndian.Uint16(rest))
		if size != 32 || len(rest) < 2+size {
			return fail("GET %s: entry %d has length %d (of %d bytes left), want 32 (an event hash)", path, i, size, len(rest)-2)
		}
		entry := rest[2 : 2+size]
		rest = rest[2+size:]
		want, _ := tlog.HashFromTile(hashTile, hashData[0], tlog.StoredHashIndex(0, n<<tileHeight+i))
		if tlog.RecordHash(entry) != want {
			return fail("GET %s: entry %d (leaf %d) hashes to %s, its hash tile says %s", path, i, n<<tileHeight+i, tlog.RecordHash(entry), want)
		}
		if n<<tileHeight+i == leaf && !bytes.Equal(entry, incl.entry) {
			return fail("GET %s: leaf %d's entry is %x, the inclusion proof's eventHash is %x", path, leaf, entry, incl.entry)
		}
	}
	if len(rest) != 0 {
		return fail("GET %s: %d bytes after the %d entries", path, len(rest), w)
	}
	v.printf("tiles: leaf %d's hash in %s; entry bundle %s: %d entries hash to that tile, leaf %d's entry = its eventHash", leaf, c2spTilePath(hashTile), path, w, leaf)
	return nil
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// cosignatureVerifier verifies c2sp.org/tlog-cosignature cosignature/v1 lines as a note.Verifier
// (as filippo.io/torchwood does): the signature is timestamp (8 bytes, big endian) then an Ed25519
// signature of "cosignature/v1\ntime <timestamp>\n" followed by the note's text.
type cosignatureVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

const algCosignatureV1 = 0x04

func newCosignatureVerifier(vkey string) (*cosignatureVerifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || parts[0] == "" || len(parts[1]) != 8 {
		return nil, errors.New("want <name>+<8 hex key id>+<base64 key>")
	}
	name, idHex, keyB64 := parts[0], parts[1], parts[2]
	id, err := strconv.ParseUint(idHex, 16, 32)
	if err != nil {
		return nil, fmt.Errorf("key id %q: %v", idHex, err)
	}
	key, err := base64.StdEncoding.DecodeString(keyB64)
	if err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != algCosignatureV1 {
		return nil, fmt.Errorf("want base64 of 0x04 (cosignature/v1) and a 32-byte Ed25519 key")
	}
	sum := sha256.Sum256(append([]byte(name+"\n"), key...))
	if want := binary.BigEndian.Uint32(sum[:4]); uint32(id) != want {
		return nil, fmt.Errorf("key id %s does not match the key (want %08x)", idHex, want)
	}
	return &cosignatureVerifier{name: name, hash: uint32(id), pub: ed25519.PublicKey(key[1:])}, nil
}

func (c *cosignatureVerifier) Name() string    { return c.name }
func (c *cosignatureVerifier) KeyHash() uint32 { return c.hash }

func (c *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	ts := binary.BigEndian.Uint64(sig[:8])
	signed := fmt.Appendf(nil, "cosignature/v1\ntime %d\n", ts)
	signed = append(signed, msg...)
	return ed25519.Verify(c.pub, signed, sig[8:])
}
