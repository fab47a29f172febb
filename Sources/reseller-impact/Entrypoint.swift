import ResellerImpactCLI

@main
enum Entrypoint {
    static func main() {
        ResellerImpactCommand.main()
    }
}
