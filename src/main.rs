fn main() {
    yew::Renderer::<why401::app::App>::new().render();
}
