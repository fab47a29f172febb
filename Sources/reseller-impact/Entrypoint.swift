import ResellerImpactCLI

#if canImport(Glibc)
import Glibc
#endif

@main
enum Entrypoint {
    static func main() {
        // A file-size limit (ulimit -f) must end in a clear "cannot write" error, exit 74,
        // not in a kill by SIGXFSZ that leaves half a report behind.
        signal(SIGXFSZ, SIG_IGN)
        ResellerImpactCommand.main()
    }
}
