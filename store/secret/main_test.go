package secret

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// helperArg, as the first argument of the test binary, turns it into a small program that
// tests use as a secret_command (no shell and no Unix tools needed):
//
//	helperArg print S             prints S and a newline
//	helperArg fail OUT ERR CODE   prints OUT on stdout, ERR on stderr, exits with CODE
//	helperArg sleep               sleeps for an hour
//	helperArg big N               prints N bytes
//	helperArg stdin               prints what it reads from stdin, or "empty"
const helperArg = "confab-secret-test-helper"

// noBusArg runs the no-session-bus scenario of TestOSKeyringNoSessionBus in a child process.
const noBusArg = "confab-secret-test-nobus"

func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case helperArg:
			os.Exit(commandHelper(os.Args[2:]))
		case noBusArg:
			os.Exit(noBusHelper())
		}
	}
	os.Exit(m.Run())
}

func commandHelper(args []string) int {
	switch args[0] {
	case "print":
		fmt.Println(args[1])
	case "fail":
		fmt.Print(args[1])
		fmt.Fprint(os.Stderr, args[2])
		code, _ := strconv.Atoi(args[3])
		return code
	case "sleep":
		time.Sleep(time.Hour)
	case "big":
		n, _ := strconv.Atoi(args[1])
		fmt.Print(strings.Repeat("x", n))
	case "stdin":
		b := make([]byte, 100)
		n, _ := os.Stdin.Read(b)
		if n == 0 {
			fmt.Println("empty")
		} else {
			fmt.Printf("read:%s\n", b[:n])
		}
	default:
		return 99
	}
	return 0
}

// helper returns the argv of a secret_command that runs commandHelper with args.
func helper(args ...string) []string {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	return append([]string{exe, helperArg}, args...)
}
