// bench/go/stream.go - the Go side of the stream suite's open_<N>_depth_<d>
// cases: N streams open at once, each a goroutine reading JSON from an
// io.Pipe through encoding/json's Decoder, the way a Go server holds one
// goroutine per connection.
//
// Each stream is fed the same document as bench/suite_stream.c feeds the C
// engines (document() below builds it byte for byte like stream_doc()
// there), cut where d objects are open; with all N parked in a read, the
// resident set grown since the start, divided by N, is bytes_per_stream;
// then every stream gets the rest and reaches the end, and
// feed_throughput is N whole documents in MB over the process's CPU time
// (user and system, every thread: the garbage collector's included) of
// both feeds, stream creation included, the measurement between them
// excluded; CPU time as on the C side, since on a shared machine the wall
// clock mostly measures the others' load.
//
// Two subjects: "go" reads tokens (Decoder.Token in a loop: no value is
// built, like the C engines' event mode the suite measures), "go-decode"
// decodes into an interface{} (Decoder.Decode: builds the value; it
// buffers the whole document before decoding). Both run a garbage
// collection and return freed memory to the system (debug.FreeOSMemory)
// before each RSS reading, so the figure is live memory, not garbage.
//
// Each cell runs in a child process (this program re-run with -cell), so
// one cell's heap and stacks are not the next one's baseline and a cell
// that runs out of memory or time is reported, not fatal. A cell whose
// memory, extrapolated from the same subject and depth at a smaller N,
// exceeds the budget is skipped with the reason on stderr.
//
// Usage: stream-go [-budget-mb M] [-cap S] [-n 10000,100000] [-d 10,100]
// (-budget-mb, -cap, -n and -d default to NG_BENCH_STREAM_MB,
// NG_BENCH_STREAM_CAP, NG_BENCH_STREAM_N and NG_BENCH_STREAM_D, as in the
// C suite.)
// Output: rows of bench's results.tsv (suite, case, subject, metric,
// value, unit) on stdout; notes on stderr. NG_BENCH_QUICK set: N up to
// 1e5 only, as the C suite does.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The document at depth d and the offset of the cut: d containers, an
// object {"a": at even levels and an array [ at odd ones, around the
// number 1; the cut leaves all d open, waiting for their first value.
// Lean on purpose: a parked stream's cost is the parser's state, and the
// feed cost is per level, not per byte of payload.
func document(d int) ([]byte, int) {
	var b strings.Builder
	for i := 0; i < d; i++ {
		if i%2 == 0 {
			b.WriteString(`{"a":`)
		} else {
			b.WriteByte('[')
		}
	}
	cut := b.Len()
	b.WriteByte('1')
	for i := d - 1; i >= 0; i-- {
		if i%2 == 0 {
			b.WriteByte('}')
		} else {
			b.WriteByte(']')
		}
	}
	return []byte(b.String()), cut
}

// Resident set size in bytes, from /proc/self/statm.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// The process's CPU time, user and system, all threads.
func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Live memory only: collect, then give freed pages back.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// A reader that says once when its stream has consumed want bytes and
// asks for more: the stream is then parked in its read.
type gate struct {
	r      io.Reader
	seen   int
	want   int
	parked *sync.WaitGroup
}

func (g *gate) Read(p []byte) (int, error) {
	if g.parked != nil && g.seen >= g.want {
		g.parked.Done()
		g.parked = nil
	}
	n, err := g.r.Read(p)
	g.seen += n
	return n, err
}

// One stream: reads the document by tokens or decodes it, then reports.
func stream(r io.Reader, decode bool, done *sync.WaitGroup, fail chan<- error) {
	defer done.Done()
	dec := json.NewDecoder(r)
	var err error
	if decode {
		var v interface{}
		err = dec.Decode(&v)
	} else {
		for err == nil {
			_, err = dec.Token()
		}
		if err == io.EOF {
			err = nil
		}
	}
	if err != nil {
		select {
		case fail <- err:
		default:
		}
	}
}

// One cell in this process: prints its two rows.
func cell(n, d int, subject string) error {
	doc, cut := document(d)
	fail := make(chan error, 1)
	var parked, done sync.WaitGroup

	settle()
	base := rss()
	t0 := cpu()
	pipes := make([]*io.PipeWriter, n)
	parked.Add(n)
	done.Add(n)
	for i := range pipes {
		pr, pw := io.Pipe()
		pipes[i] = pw
		go stream(&gate{r: pr, want: cut, parked: &parked},
			subject == "go-decode", &done, fail)
	}
	for _, pw := range pipes {
		if _, err := pw.Write(doc[:cut]); err != nil {
			return err
		}
	}
	parked.Wait()
	first := cpu() - t0
	settle()
	per := float64(rss()-base) / float64(n)
	t1 := cpu()
	for _, pw := range pipes {
		if _, err := pw.Write(doc[cut:]); err != nil {
			return err
		}
		pw.Close()
	}
	done.Wait()
	total := first + cpu() - t1
	select {
	case err := <-fail:
		return err
	default:
	}
	kase := fmt.Sprintf("open_%d_depth_%d", n, d)
	mb := float64(n) * float64(len(doc)) / 1e6
	fmt.Printf("stream\t%s\t%s\tbytes_per_stream\t%.6g\tB\n", kase, subject, per)
	fmt.Printf("stream\t%s\t%s\tfeed_throughput\t%.6g\tMB/s\n", kase, subject,
		mb/total.Seconds())
	return nil
}

// MemAvailable from /proc/meminfo in MB, 0 if unknown.
func memAvailableMB() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(s.Text(), "MemAvailable: %d kB", &kb); n == 1 {
			return kb / 1024
		}
	}
	return 0
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if v, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && v > 0 {
			out = append(out, v)
		}
	}
	return out
}

// Runs one cell in a child process within cap; relays its rows, or
// prints why there are none and a "failed" row. Returns bytes_per_stream,
// or 0 when the cell failed.
func runCell(self string, n, d int, subject string, limit time.Duration) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, "-cell", "-n", strconv.Itoa(n),
		"-d", strconv.Itoa(d), "-subject", subject)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	kase := fmt.Sprintf("open_%d_depth_%d", n, d)
	if err != nil {
		why := err.Error()
		if ctx.Err() != nil {
			why = fmt.Sprintf("over the %v cap", limit)
		}
		fmt.Fprintf(os.Stderr, "go-stream: %s %s failed: %s\n", kase, subject, why)
		fmt.Printf("stream\t%s\t%s\tfailed\t1\t-\n", kase, subject)
		return 0
	}
	os.Stdout.Write(out)
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 6 && f[3] == "bytes_per_stream" {
			v, _ := strconv.ParseFloat(f[4], 64)
			return v
		}
	}
	return 0
}

func main() {
	isCell := flag.Bool("cell", false, "run one cell in this process")
	nList := flag.String("n", "10000,100000,1000000", "stream counts")
	dList := flag.String("d", "10,100,1000", "depths")
	subject := flag.String("subject", "go", "cell: go (Token) or go-decode")
	budget := flag.Int64("budget-mb", 0,
		"memory a cell may take (0: NG_BENCH_STREAM_MB, else 6144 or half of MemAvailable)")
	capS := flag.Int("cap", 0, "seconds a cell may take (0: NG_BENCH_STREAM_CAP, else 300)")
	flag.Parse()
	if *isCell {
		ns, ds := ints(*nList), ints(*dList)
		if len(ns) != 1 || len(ds) != 1 {
			fmt.Fprintln(os.Stderr, "go-stream: -cell takes one -n and one -d")
			os.Exit(2)
		}
		if err := cell(ns[0], ds[0], *subject); err != nil {
			fmt.Fprintf(os.Stderr, "go-stream: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if *capS <= 0 {
		*capS, _ = strconv.Atoi(os.Getenv("NG_BENCH_STREAM_CAP"))
	}
	if e := os.Getenv("NG_BENCH_STREAM_N"); e != "" && !flagGiven("n") {
		*nList = e
	}
	if e := os.Getenv("NG_BENCH_STREAM_D"); e != "" && !flagGiven("d") {
		*dList = e
	}
	if *capS <= 0 {
		*capS = 300
	}
	drive(*nList, *dList, *budget, time.Duration(*capS)*time.Second)
}

// Whether the command line set flag name.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// What the last cell of a subject and depth measured, to extrapolate.
type last struct {
	n      int
	per    float64       // bytes_per_stream
	took   time.Duration // the whole child
	failed bool
}

// Why cell n cannot run after l (the same subject and depth), or "".
func skipReason(l last, n int, quick bool, budget int64, limit time.Duration) string {
	scale := float64(n) / float64(l.n)
	switch {
	case quick && n > 100000:
		return "NG_BENCH_QUICK"
	case l.failed:
		return "failed at a smaller N"
	case l.n == 0:
		return ""
	case l.per*float64(n)*1.25/1e6 > float64(budget):
		return fmt.Sprintf("needs about %.0f MB (%.0f B a stream at N=%d), "+
			"over the %d MB budget", l.per*float64(n)*1.25/1e6, l.per, l.n, budget)
	case time.Duration(float64(l.took)*scale) > limit:
		return fmt.Sprintf("would take about %.0f s (%.1f s at N=%d), over "+
			"the %v cap", float64(l.took)*scale/1e9, l.took.Seconds(), l.n, limit)
	}
	return ""
}

// Every cell, smaller N first, skipping what would not fit the budget.
func drive(nList, dList string, budget int64, limit time.Duration) {
	if budget == 0 {
		budget, _ = strconv.ParseInt(os.Getenv("NG_BENCH_STREAM_MB"), 10, 64)
	}
	if budget <= 0 {
		budget = 6144
		if avail := memAvailableMB(); avail > 0 && avail/2 < budget {
			budget = avail / 2
		}
	}
	quick := os.Getenv("NG_BENCH_QUICK") != "" && os.Getenv("NG_BENCH_QUICK") != "0"
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-stream: %v\n", err)
		os.Exit(2)
	}
	for _, subject := range []string{"go", "go-decode"} {
		for _, d := range ints(dList) {
			var l last
			for _, n := range ints(nList) {
				kase := fmt.Sprintf("open_%d_depth_%d", n, d)
				if why := skipReason(l, n, quick, budget, limit); why != "" {
					fmt.Fprintf(os.Stderr, "go-stream: %s %s skipped: %s\n", kase, subject, why)
					continue
				}
				t0 := time.Now()
				per := runCell(self, n, d, subject, limit)
				l = last{n, per, time.Since(t0), per == 0}
			}
		}
	}
}
